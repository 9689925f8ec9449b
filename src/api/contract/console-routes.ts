import { OFFICIAL_ROLES } from '../../domain/roles';
import type { RouteSpec } from './route-spec';
import { MyCasesQuery, MyCasesView, PublicityNoticeView, PublicityParams, PublicityQuery } from './console-schemas';

/** Reads for people who are not officials, or who need a whole village at once: used by the web console. */
export const consoleRoutes = {
  myCases: {
    method: 'get',
    path: '/my/cases',
    tag: 'cases',
    summary: 'The cases the caller applied for, newest first',
    description: 'An applicant sees where each of their applications stands, what happens next and when, and the reason of any refusal.',
    access: ['applicant'],
    query: MyCasesQuery,
    success: { status: 200, description: "a page of the caller's own cases", schema: MyCasesView },
    errors: [400, 401, 403],
  },
  publicityNotice: {
    method: 'get',
    path: '/publicity/{village}',
    tag: 'cases',
    summary: "A village's publicity notice: the households in a publicity period, ID numbers masked",
    description:
      "What is posted on the village notice board: every household of the village now in the given publicity period, with its members (ID numbers masked) and when the period ends. Open to the village's residents and the officials above it; anyone who reads it may object (POST /cases/{caseId}/objections).",
    access: ['applicant', ...OFFICIAL_ROLES],
    params: PublicityParams,
    query: PublicityQuery,
    success: { status: 200, description: 'the notice', schema: PublicityNoticeView },
    errors: [400, 401, 403],
  },
} satisfies Record<string, RouteSpec>;
