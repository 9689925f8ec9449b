import { AssessmentQuery, ProgressQuery, ReportView, reportTypes } from './report-schemas';
import type { RouteSpec } from './route-spec';

/** Issue #13, the rhythm of supervision: a progress report every two weeks, an assessment every quarter. */
export const reportRoutes = {
  progressReport: {
    method: 'get',
    path: '/reports/progress',
    tag: 'reports',
    summary: 'Biweekly progress per village: cases, enrolment and exit, pairing, visits, plans, money paid',
    access: ['supervisor', 'county_official', 'town_official'],
    query: ProgressQuery,
    success: { status: 200, description: 'one row per village and a total; JSON, CSV or xlsx', schema: ReportView, otherTypes: reportTypes },
    errors: [400, 401, 403],
  },
  assessmentReport: {
    method: 'get',
    path: '/reports/assessment',
    tag: 'reports',
    summary: 'Quarterly (countdown) assessment per village, with poverty incidence from the registry',
    access: ['supervisor', 'county_official', 'town_official'],
    query: AssessmentQuery,
    success: { status: 200, description: 'one row per village and a total; JSON, CSV or xlsx', schema: ReportView, otherTypes: reportTypes },
    errors: [400, 401, 403],
  },
} satisfies Record<string, RouteSpec>;
