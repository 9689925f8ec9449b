import { z } from 'zod';
import { ExportFormatParam } from './export-schemas';
import { HOUSING_GRADES, HEALTH, POVERTY_CAUSES } from '../../domain/household';
import { DECISION_STAGES, STAGES } from '../../domain/case/stages';
import { CASE_STATUSES } from '../../domain/case/types';
import { impossibleVotes } from '../../domain/case/appraisal';
import { REFERENCE_SOURCES } from '../../domain/comparison/sources';
import { ROLES } from '../../domain/roles';
import { HouseholdInputSchema } from './household-input';
import { prose } from './text';
import { textRequiredWhen } from './required-when';

/** The request and response shapes of the HTTP API: validation, OpenAPI and types all come from here. */

export const VillageCode = z.string().regex(/^\d{12}$/, 'a 12-digit village code');
export const TownCode = z.string().regex(/^\d{9}$/, 'a 9-digit town code');
export const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character hex SHA-256');
const Iso = z.string().describe('ISO 8601 UTC time');

export const Limit = z.coerce.number().int().min(1).max(100).default(20);

export const SubmitApplicationBody = z.object({
  village: VillageCode.describe('the village the household lives in'),
  household: HouseholdInputSchema,
});

export const VotesSchema = z
  .object({
    representatives: z.number().int().min(1).max(100_000).describe("villagers' representatives entitled to vote"),
    present: z.number().int().min(0).max(100_000).describe('at most the representatives'),
    for: z.number().int().min(0).max(100_000).describe('at most those present'),
    against: z.number().int().min(0).max(100_000).describe('at most those present'),
    abstain: z.number().int().min(0).max(100_000).describe('at most those present; the votes cast add up to at most those present'),
  })
  .superRefine((v, ctx) => {
    for (const { field, why } of impossibleVotes(v)) ctx.addIssue({ code: 'custom', path: [field], message: why });
  });

export const DecisionFields = z.object({
  stage: z.enum(DECISION_STAGES).describe("the stage being decided; must be the case's current stage"),
  decision: z.enum(['approve', 'reject', 'return']),
  reason: prose(2000, { optional: true, description: 'required for reject and return' }).optional(),
  votes: VotesSchema.optional().describe('the democratic appraisal; required at village_evaluation'),
  householdHash: Hash.optional().describe('householdHash of the case as you read it; if the household changed since, the decision is refused with 409'),
});

export const ObjectionBody = z.object({ grounds: prose(4000) });

export const ResolutionBody = z.object({
  substantiated: z.boolean(),
  finding: prose(4000),
  outcome: z
    .enum(['reexamine', 'reject'])
    .optional()
    .describe('for a substantiated objection: send the case back for re-examination (default) or end it as rejected'),
});

export const DecisionBody = textRequiredWhen(DecisionFields, { key: 'decision', values: ['reject', 'return'] }, 'reason', 'required for reject and return');

export const CaseIdParams = z.object({ caseId: z.string().regex(/^case-[0-9a-f-]{36}$/, 'a case id') });
export const ObjectionIdParams = z.object({ objectionId: z.string().regex(/^obj-[0-9a-f-]{36}$/, 'an objection id') });

export const ListCasesQuery = z.object({
  stage: z.enum(STAGES).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  village: VillageCode.optional(),
  town: TownCode.optional(),
  limit: Limit,
  cursor: z.string().max(200).optional(),
  format: ExportFormatParam,
});

export const PageQuery = z.object({ limit: Limit, cursor: z.string().max(200).optional() });

const MemberView = z.object({
  name: z.string(),
  relation: z.string(),
  idMasked: z.string(),
  age: z.number().int(),
  ableToWork: z.boolean(),
  health: z.enum(HEALTH),
});

export const ComparisonQueryView = z.object({
  queryId: z.string(),
  source: z.enum(REFERENCE_SOURCES),
  sourceLabel: z.string().describe('the source in Chinese, e.g. 死亡'),
  listId: z.string(),
  listDate: z.string().describe('the date the list was drawn up (YYYY-MM-DD)'),
  member: z
    .object({ index: z.number().int(), name: z.string(), idMasked: z.string() })
    .describe('the household member found on the list (index -1 and empty texts: no longer a member since a correction)'),
  status: z.enum(['open', 'cleared', 'confirmed']),
  reason: z.string().nullable().describe("the town's reason, once settled"),
});

export const CaseView = z.object({
  caseId: z.string(),
  householdId: z.string(),
  stage: z.enum(STAGES),
  status: z.enum(CASE_STATUSES),
  location: z.object({ county: z.string(), town: z.string(), village: z.string() }),
  household: z.object({
    members: z.array(MemberView),
    annualIncomeFen: z.number().int(),
    housingGrade: z.enum(HOUSING_GRADES),
    primaryCause: z.enum(POVERTY_CAUSES),
    secondaryCauses: z.array(z.enum(POVERTY_CAUSES)),
    requestedHelp: z.string(),
  }),
  householdHash: Hash,
  pendingTask: z
    .object({
      kind: z.enum(['decision', 'objections']),
      stage: z.enum(STAGES),
      role: z.array(z.enum(ROLES)),
      dueAt: Iso.nullable(),
      holder: z.string().nullable(),
    })
    .nullable(),
  deadlines: z.object({ stageEnteredAt: Iso, stageDueAt: Iso.nullable() }),
  publicity: z.object({ endsAt: Iso, ended: z.boolean().describe('the period is over; open objections still hold the case') }).nullable(),
  objections: z.array(z.object({ objectionId: z.string(), stage: z.string(), status: z.string() })),
  queries: z
    .array(ComparisonQueryView)
    .describe('comparison queries (比对疑点): members found on a reference list; while one is open the town cannot pass the case nor the county approve it'),
  reason: z.string().nullable(),
  previousCaseId: z.string().nullable(),
  openedAt: Iso,
  updatedAt: Iso,
  version: z.number().int(),
});
export type CaseViewT = z.infer<typeof CaseView>;

export const SubmittedView = z.object({ caseId: z.string(), stage: z.enum(STAGES), status: z.enum(CASE_STATUSES), case: CaseView });

export const CaseListView = z.object({
  items: z.array(
    CaseView.pick({ caseId: true, householdId: true, stage: true, status: true, location: true, deadlines: true, openedAt: true, updatedAt: true }),
  ),
  nextCursor: z.string().nullable(),
});

export const EventView = z.object({
  seq: z.number().int(),
  type: z.string(),
  at: Iso,
  actor: z.string(),
  data: z.record(z.string(), z.unknown()),
  hash: Hash,
  prevHash: Hash,
});

export const ObjectionView = z.object({ objectionId: z.string(), caseId: z.string(), stage: z.string(), status: z.string() });

export const HealthView = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().optional() }),
  temporal: z.object({ ok: z.boolean(), latencyMs: z.number().optional() }),
});

export const ProblemView = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  lockedUntil: z.string().optional().describe('423 account-locked: when the account can be logged in to again (ISO time)'),
  availableFen: z.number().int().optional().describe('422 pool-cash-insufficient: the cash of the pool not claimed by batches under way'),
  neededFen: z.number().int().optional().describe('422 pool-cash-insufficient: what the proposed batch needs'),
  maxHouseholds: z.number().int().optional().describe('422 pool-cash-insufficient: how many households the cash can take'),
  outstandingFen: z.number().int().optional().describe('409 overpayment: what the loan still owes, the most a repayment may be'),
});
