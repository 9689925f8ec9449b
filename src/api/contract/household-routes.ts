import { ExitBody, HouseholdIdParams, HouseholdView, MemberTransferBody, MemberTransferView } from './household-schemas';
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
  transferMember: {
    method: 'post',
    path: '/households/{householdId}/members/transfer',
    tag: 'households',
    summary: 'Move a member to another household (marriage, a household divided)',
    description:
      "One person belongs to one applying or enrolled household; moving them is a correction recorded on both households' streams (MemberTransferredOut, MemberTransferredIn) with who did it and why. By a village or town official whose jurisdiction holds both households. The head cannot be moved (a household whose head leaves ends by exit); the household joined must be applying or enrolled. Either household's open case records the transfer too (HouseholdCorrected): its householdHash changes, so re-read the case before deciding (a decision on the hash read before is 409); a later exit starts from the household as the transfer left it.",
    access: ['village_official', 'town_official'],
    params: HouseholdIdParams,
    body: MemberTransferBody,
    idempotent: true,
    example: {
      idNumber: '522701200809090018',
      toHouseholdId: 'hh-0b6f3c1e-7a4d-4e0b-9c55-1d2e3f4a5b6c',
      relation: 'spouse',
      reason: 'married into the household in Yangliu village; registration moved',
    },
    success: { status: 201, description: 'the transfer, as recorded on both households', schema: MemberTransferView },
    errors: [400, 401, 403, 404, 409, 422],
  },
} satisfies Record<string, RouteSpec>;
