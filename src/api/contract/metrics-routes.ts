import { z } from 'zod';
import type { RouteSpec } from './route-spec';

/** What Prometheus scrapes (README: "Logs and metrics"). */
export const metricsRoutes = {
  metrics: {
    method: 'get',
    path: '/metrics',
    tag: 'system',
    summary: 'Metrics in the Prometheus text format',
    description:
      'HTTP request durations by method, route template and status; cases by stage and status; open and overdue tasks; the process; ' +
      "and, when WORKER_METRICS_URL is set, the worker's Temporal SDK metrics appended (aid_worker_metrics_up says whether they could be read). " +
      'Scrape with a bearer token of an operator or supervisor.',
    access: ['operator', 'supervisor'],
    success: { status: 200, description: 'text/plain; version=0.0.4 (the Prometheus exposition format)', otherTypes: { 'text/plain': z.string() } },
    errors: [401, 403],
  },
} satisfies Record<string, RouteSpec>;
