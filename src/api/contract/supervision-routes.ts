import { exportTypes } from './export-schemas';
import type { RouteSpec } from './route-spec';
import { StalledQuery, StalledView, SummaryQuery, SummaryView } from './supervision-schemas';

export const supervisionRoutes = {
  stalledCases: {
    method: 'get',
    path: '/supervision/stalled',
    tag: 'supervision',
    summary: "Open cases past their stage's time limit, most overdue first",
    access: ['supervisor', 'county_official', 'auditor'],
    query: StalledQuery,
    success: { status: 200, description: 'stage, holder and days overdue of each stalled case', schema: StalledView, otherTypes: exportTypes },
    errors: [400, 401, 403],
  },
  supervisionSummary: {
    method: 'get',
    path: '/supervision/summary',
    tag: 'supervision',
    summary: 'Open cases counted and aged per stage and jurisdiction',
    access: ['supervisor', 'county_official', 'auditor'],
    query: SummaryQuery,
    success: { status: 200, description: 'one row per stage and town (or village)', schema: SummaryView },
    errors: [400, 401, 403],
  },
} satisfies Record<string, RouteSpec>;
