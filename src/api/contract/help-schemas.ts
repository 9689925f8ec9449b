import { z } from 'zod';
import { HELPER_RANKS, QUOTA } from '../../domain/help/helpers';
import { MEASURE_KINDS, PLAN_PARTIES, POVERTY_CAUSES } from '../../domain/help/help-plan';
import { VISIT_KINDS } from '../../domain/help/pairing';
import { JurisdictionCode, UserIdParams } from './auth-schemas';
import { HouseholdIdParams } from './household-schemas';
import { fen } from './money';
import { Hash, Limit } from './schemas';
import { line, prose } from './text';
import { ResidentIdNumber } from './household-input';

const UserId = UserIdParams.shape.userId;
const Cursor = z.string().max(200).optional();

export const RegisterHelperBody = z.object({
  userId: UserId.describe('an active user with the role helper, within your jurisdiction'),
  rank: z
    .enum(HELPER_RANKS)
    .describe(`county_leader helps at least ${QUOTA.county_leader} households, department_leader ${QUOTA.department_leader}, cadre ${QUOTA.cadre}`),
  unit: line(100, 'the helping unit (department or office), e.g. 县农业农村局'),
  relatives: z
    .array(ResidentIdNumber)
    .max(30)
    .default([])
    .describe("close relatives' ID numbers: no pairing with their households (kept only as keyed hashes)"),
});

export const HelperView = z.object({
  userId: z.string(),
  rank: z.enum(HELPER_RANKS),
  unit: z.string(),
  jurisdiction: z.string(),
  households: z.number().int().describe('households paired now'),
  quota: z.number().int().describe('the least number of households of this rank ("532")'),
  meetsQuota: z.boolean(),
  notLiftedAfterTwoYears: z.number().int().describe('households paired two years or more ago and still enrolled'),
  mayBeRatedAdvanced: z.boolean().describe('false while a household paired two years or more has not been lifted out (DOMAIN.md)'),
});

export const HelpersQuery = z.object({
  jurisdiction: JurisdictionCode.optional(),
  belowQuota: z.enum(['true', 'false']).optional().describe('only helpers short of their quota'),
  limit: Limit,
  cursor: Cursor,
});
export const HelperListView = z.object({ items: z.array(HelperView), nextCursor: z.string().nullable() });

export const PairBody = z.object({ householdId: HouseholdIdParams.shape.householdId, helperId: UserId });
export const PairingIdParams = z.object({ pairingId: z.string().regex(/^pair-[0-9a-f-]{36}$/, 'a pairing id') });
export const EndPairingBody = z.object({ reason: prose(2000) });
export const PairingView = z.object({
  pairingId: z.string(),
  householdId: z.string(),
  helperId: z.string(),
  village: z.string(),
  status: z.enum(['active', 'ended']),
  pairedAt: z.string(),
});

export const CoverageQuery = z.object({ jurisdiction: JurisdictionCode.optional() });
export const CoverageView = z.object({
  jurisdiction: z.string(),
  asOf: z.string(),
  enrolled: z.number().int(),
  paired: z.number().int(),
  unpaired: z.number().int(),
  coverage: z.number().nullable().describe('paired / enrolled (null when nobody is enrolled)'),
  gaps: z
    .array(z.object({ village: z.string(), enrolled: z.number().int(), paired: z.number().int(), unpaired: z.number().int() }))
    .describe('villages with unpaired households'),
  unpairedHouseholds: z.array(z.object({ householdId: z.string(), village: z.string() })).describe('the first 100 unpaired households'),
  helpersBelowQuota: z.array(z.object({ userId: z.string(), rank: z.enum(HELPER_RANKS), households: z.number().int(), quota: z.number().int() })),
});

export const LostContactQuery = z.object({ jurisdiction: JurisdictionCode.optional(), limit: Limit, cursor: Cursor });
export const LostContactView = z.object({
  window: z.string().describe('the longest a household may go without a visit (ISO 8601)'),
  items: z.array(
    z.object({
      pairingId: z.string(),
      householdId: z.string(),
      helperId: z.string(),
      village: z.string(),
      lastContactAt: z.string(),
      daysWithoutContact: z.number().int(),
      alertOpenSince: z.string().nullable().describe("when the town's follow-up task opened (null: not yet)"),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const VisitBody = z.object({
  kind: z.enum(VISIT_KINDS).describe('routine, festival, or a must-visit: wedding, funeral, hospitalisation, dispute'),
  visitedAt: z.iso.datetime({ offset: true }).describe('when the visit took place: not in the future, not before the pairing'),
  notes: prose(4000),
  photoHash: Hash.optional().describe("SHA-256 of the visit's photo, kept elsewhere"),
});
export const VisitView = z.object({
  visitId: z.string(),
  householdId: z.string(),
  kind: z.enum(VISIT_KINDS),
  visitedAt: z.string(),
  contactRestored: z.boolean(),
});

const Measure = z.object({
  kind: z.enum(MEASURE_KINDS),
  description: prose(2000),
  moneyFen: fen('money this measure needs, in fen'),
});
export const PlanContentSchema = z.object({
  survey: z.object({
    familySituation: prose(4000),
    cause: z.enum(POVERTY_CAUSES),
    routeOut: prose(2000),
    expectedEffect: prose(2000),
  }),
  measures: z.array(Measure).min(1).max(20),
  fundIds: z
    .array(z.string().regex(/^fund-[0-9a-f-]{36}$/, 'a fund id'))
    .max(10)
    .default([]),
  helpingUnit: z.object({ name: line(100), inChargeUserId: UserId.describe("the helping unit's person in charge, who signs for it") }),
});
export const SignPlanBody = z.object({
  party: z.enum(PLAN_PARTIES).describe('town: the town head; village: the village person in charge; unit: the helping unit person in charge'),
  planHash: Hash.describe('the hash of the plan you read: a signature pins it'),
});
export const HelpPlanView = z.object({
  householdId: z.string(),
  planVersion: z.number().int(),
  planHash: z.string(),
  status: z.enum(['draft', 'effective']),
  moneyNeededFen: z.number().int(),
  plan: PlanContentSchema,
  signatures: z.array(z.object({ party: z.enum(PLAN_PARTIES), signedBy: z.string(), planHash: z.string() })),
  missing: z.array(z.enum(PLAN_PARTIES)),
});
