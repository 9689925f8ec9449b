import { auditRoutes } from './audit-routes';
import { authRoutes, jurisdictionTreeRoutes, userRoutes } from './auth-routes';
import { caseRoutes } from './case-routes';
import { codecRoutes } from './codec-routes';
import { comparisonRoutes } from './comparison-routes';
import { consoleRoutes } from './console-routes';
import { jurisdictionRoutes } from './jurisdiction-routes';
import { loanRoutes } from './loan-routes';
import { metricsRoutes } from './metrics-routes';
import { fundRoutes } from './fund-routes';
import { helpRoutes } from './help-routes';
import { householdRoutes } from './household-routes';
import { intakeRoutes } from './intake-routes';
import { reconciliationRoutes } from './reconciliation-routes';
import { reportRoutes } from './report-routes';
import { reviewRoutes } from './review-routes';
import { streamRoutes } from './stream-routes';
import { supervisionRoutes } from './supervision-routes';
import { taskRoutes } from './task-routes';

export type { RouteSpec } from './route-spec';

/** Every endpoint of the API, by operation id: the single list OpenAPI is generated from. */
export const routes = {
  ...caseRoutes,
  ...householdRoutes,
  ...taskRoutes,
  ...supervisionRoutes,
  ...intakeRoutes,
  ...fundRoutes,
  ...reconciliationRoutes,
  ...jurisdictionRoutes,
  ...jurisdictionTreeRoutes,
  ...authRoutes,
  ...userRoutes,
  ...auditRoutes,
  ...codecRoutes,
  ...loanRoutes,
  ...metricsRoutes,
  ...consoleRoutes,
  ...helpRoutes,
  ...reportRoutes,
  ...reviewRoutes,
  ...streamRoutes,
  ...comparisonRoutes,
};
