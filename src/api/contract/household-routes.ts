import { ExitBody, HouseholdIdParams, HouseholdView } from './household-schemas';
import type { RouteSpec } from './route-spec';
import { SubmittedView } from './schemas';

export const householdRoutes = {
  getHousehold: {
    method: 'get',
    path: '/households/{householdId}',
    tag: 'households',
    summary: 'A household in the registry, with its linked cases',
    access: ['village_official', 'town_official', 'county_official', 'supervisor', 'auditor'],
    params: HouseholdIdParams,
    success: { status: 200, description: 'members (ID numbers masked), status and every case, oldest first', schema: HouseholdView },
    errors: [401, 403, 404],
  },
  proposeExit: {
    method: 'post',
    path: '/households/{householdId}/exit',
    tag: 'households',
    summary: 'Propose that an enrolled household leaves ("poverty eliminated")',
    description: 'Starts an exit case: town verification, a publicity period open to objections, then the announcement.',
    access: ['village_official', 'town_official'],
    params: HouseholdIdParams,
    body: ExitBody,
    idempotent: true,
    example: { reason: 'Verified at home visit: net income per person above the line for two years; safe housing.' },
    success: { status: 201, description: 'the exit case, at exit verification', schema: SubmittedView },
    errors: [400, 401, 403, 404, 409],
  },
} satisfies Record<string, RouteSpec>;
