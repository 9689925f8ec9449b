import { z } from 'zod';
import { HARDSHIP_CAUSES, REPAYMENT_METHODS } from '../../domain/loans/events';
import { DELINQUENCY_BUCKETS } from '../../domain/loans/terms';
import { HOUSEHOLD_ID_PATTERN } from '../../domain/household';
import { FundIdParams } from './fund-schemas';
import { positiveFen } from './money';
import { IsoDay } from './reconciliation-schemas';
import { Limit, VillageCode } from './schemas';
import { line, prose } from './text';

/**
 * The shapes of revolving loans (issue #10): schemes, batches, loans, repayments, hardship.
 * Validation, the OpenAPI document and the handlers' types all come from here.
 */

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character hex SHA-256');
const Cursor = z.string().max(200).optional();
const HouseholdId = z.string().regex(HOUSEHOLD_ID_PATTERN, 'a household id');
const Jurisdiction = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) code');

// Ids the server mints (from the Idempotency-Key when there is one).
const uuidId = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`), what);
export const SchemeId = uuidId('scheme', 'a scheme id');
export const BatchId = uuidId('batch', 'a batch id');
/** Loans are numbered by the batch workflow: `loan-` and letters, digits and dashes. */
export const LoanId = z.string().regex(/^loan-[0-9a-z-]{8,120}$/, 'a loan id');
export const RepaymentId = z.string().regex(/^rep-[0-9a-z-]{8,120}$/, 'a repayment id');

export const SchemeIdParams = z.object({ schemeId: SchemeId });
export const BatchIdParams = z.object({ schemeId: SchemeId, batchId: BatchId });
export const BatchObjectionParams = BatchIdParams.extend({ objectionId: uuidId('obj', 'an objection id') });
export const LoanIdParams = z.object({ loanId: LoanId });
export const RepaymentParams = z.object({ loanId: LoanId, repaymentId: RepaymentId });
export const ValuationParams = z.object({ loanId: LoanId, valuationId: uuidId('val', 'a valuation id') });
export const HardshipParams = z.object({ loanId: LoanId, hardshipId: uuidId('hs', 'a hardship id') });

const DueRule = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('date'),
      month: z.number().int().min(1).max(12),
      day: z.number().int().min(1).max(31),
      yearOffset: z.number().int().min(0).max(10).describe("years after the payout's year (0: the payout year)"),
    })
    .refine((d) => d.day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][d.month - 1], { message: 'no such day in that month', path: ['day'] })
    .describe('a calendar day (29 February falls on 28 February in other years)'),
  z.object({ kind: z.literal('months'), months: z.number().int().min(1).max(120) }).describe('whole months after the payout day'),
]);

const Instalments = z
  .array(z.object({ shareBp: z.number().int().min(1).max(10_000).describe('share of the principal in basis points (5000 = 50%)'), due: DueRule }))
  .min(1)
  .max(12)
  .refine((list) => list.reduce((a, i) => a + i.shareBp, 0) === 10_000, 'the shares must add up to 10000 (100%)');

const TermsFields = {
  amountFen: positiveFen('the principal of one loan: integer fen, written as an integer literal (seed: 110000 = 1,100 yuan)'),
  instalments: Instalments,
  graceDays: z.number().int().min(0).max(365).describe('days after a due date before an unpaid instalment counts as past due'),
  inKindAllowed: z.boolean().describe('whether a repayment may be made in kind (a calf), valued by one official and confirmed by another'),
  agreementText: prose(20_000, { description: 'the loan agreement each household signs, Chinese first; its SHA-256 is pinned to every signature' }),
  eligibleVillages: z.array(VillageCode).min(1).max(2000).describe('villages of the county whose enrolled households may borrow'),
};

export const CreateSchemeBody = z.object({
  name: line(200),
  fundId: FundIdParams.shape.fundId.describe("the pool: a special fund of the scheme's county"),
  writeOffBarYears: z.number().int().min(0).max(50).describe('a household with a loan of this scheme written off within so many years is not eligible'),
  ...TermsFields,
});

export const ReviseTermsBody = z.object({ ...TermsFields, reason: prose(2000) });

const AgreementView = z.object({ version: z.number().int(), hash: z.string(), text: z.string() });
const TermsView = z.object({
  amountFen: z.number().int(),
  instalments: z.array(z.object({ shareBp: z.number().int(), due: z.record(z.string(), z.unknown()) })),
  graceDays: z.number().int(),
  inKindAllowed: z.boolean(),
  agreement: AgreementView,
});

export const SchemeView = z.object({
  schemeId: z.string(),
  name: z.string(),
  fundId: z.string(),
  county: z.string(),
  eligibleVillages: z.array(z.string()),
  writeOffBarYears: z.number().int(),
  termsVersion: z.number().int(),
  terms: TermsView,
});

export const ListSchemesQuery = z.object({ limit: Limit, cursor: Cursor });
export const SchemeListView = z.object({
  items: z.array(z.object({ schemeId: z.string(), name: z.string(), fundId: z.string(), county: z.string(), termsVersion: z.number().int() })),
  nextCursor: z.string().nullable(),
});

export const SchemeSummaryView = SchemeView.extend({
  asOf: z.string().describe('the UTC day the figures are counted on'),
  cycles: z.number().int().describe('batches that paid at least one loan'),
  loansMade: z.number().int(),
  householdsServed: z.number().int().describe('distinct households that have had a loan of this scheme'),
  activeLoans: z.number().int(),
  principalLentFen: z.number().int(),
  recoveredFen: z.object({ cashFen: z.number().int(), inKindFen: z.number().int(), totalFen: z.number().int() }).describe('repaid so far, reversals deducted'),
  writtenOffFen: z.number().int(),
  outstandingFen: z.number().int(),
  fallenDueFen: z.number().int().describe('what the schedules asked to have been repaid by today'),
  recoveredBp: z
    .number()
    .int()
    .nullable()
    .describe('of what has fallen due, how much was repaid, in basis points (10000 = 100%); null while nothing has fallen due'),
  par30Bp: z
    .number()
    .int()
    .nullable()
    .describe('portfolio at risk: outstanding of loans more than 30 days past due, in basis points of all outstanding; null when nothing is outstanding'),
  buckets: z.array(z.object({ bucket: z.enum(DELINQUENCY_BUCKETS), loans: z.number().int(), outstandingFen: z.number().int() })),
  batches: z.array(
    z.object({
      batchId: z.string(),
      cycle: z.number().int(),
      termsVersion: z.number().int(),
      status: z.string(),
      households: z.number().int(),
      loansPaid: z.number().int(),
      paidFen: z.number().int(),
    }),
  ),
  books: z
    .object({
      contributionsFen: z.number().int().describe('everything deposited: staff donations, office funds, grants'),
      cashFen: z.number().int().describe('available + reserved'),
      availableFen: z.number().int(),
      reservedFen: z.number().int(),
      lentFen: z.number().int(),
      recoveredCashFen: z.number().int(),
      receivableFen: z.number().int().describe('still owed'),
      inKindFen: z.number().int(),
      writtenOffFen: z.number().int(),
      otherPayoutsFen: z.number().int().describe('paid by the fund for other purposes than loans'),
    })
    .nullable()
    .describe("the pool's books: cash + receivable + in kind + written off + other payouts = contributions"),
});

export const RepaymentsCsv = z
  .string()
  .describe(
    'UTF-8 CSV with a BOM (opens in Excel) and a header row, Chinese first then English (还款编号 repayment_id, 贷款编号 loan_id, …); amounts in integer fen and as yuan text; CRLF line ends',
  );

export const ProposeBatchBody = z.object({
  householdIds: z.array(HouseholdId).min(1).max(1000).describe('enrolled households of eligible villages; each refusal is named by its index'),
});

export const BatchView = z.object({
  batchId: z.string(),
  schemeId: z.string(),
  cycle: z.number().int(),
  status: z.enum(['publicity', 'signing', 'paying', 'completed']),
  publicityEndsAt: z.string(),
  signingEndsAt: z.string().optional(),
  households: z.array(
    z.object({
      householdId: z.string(),
      village: z.string(),
      status: z.enum(['proposed', 'removed', 'signed', 'unsigned', 'issued', 'paid', 'failed']).describe('issued: its loan is made and its payout under way'),
      loanId: z.string().optional(),
    }),
  ),
  objections: z.array(z.object({ objectionId: z.string(), householdId: z.string(), resolved: z.boolean(), substantiated: z.boolean().optional() })),
  loansPaid: z.number().int(),
  paidFen: z.number().int(),
  agreement: z.object({ version: z.number().int(), hash: z.string() }).optional().describe('the agreement every household of this batch signs'),
  version: z.number().int(),
});

export const BatchObjectionBody = z.object({ householdId: HouseholdId, reason: prose(4000) });
export const BatchObjectionView = BatchView.extend({ objectionId: z.string() });
export const BatchResolutionBody = z.object({ substantiated: z.boolean().describe('true takes the household out of the batch'), finding: prose(4000) });

export const SignatureBody = z
  .object({
    householdId: HouseholdId,
    method: z.enum(['in_person', 'attested']).describe("in_person: the household's own applicant account; attested: a village official for a paper signature"),
    agreementHash: Hash.optional().describe("the agreement's hash as the signer was shown it; it must be the batch's"),
    scanHash: Hash.optional().describe('attested: SHA-256 of the scan of the signed paper (required)'),
  })
  .superRefine((b, ctx) => {
    if (b.method === 'attested' && !b.scanHash) ctx.addIssue({ code: 'custom', path: ['scanHash'], message: 'required for an attested signature' });
  })
  .meta({ if: { properties: { method: { const: 'attested' } }, required: ['method'] }, then: { required: ['scanHash'] } });

/** pending: its payout is under way; cancelled: the payout failed and nothing is owed. */
const LoanStatus = z.enum(['pending', 'active', 'repaid', 'written_off', 'cancelled']);

export const ListLoansQuery = z.object({
  scheme: SchemeId.optional(),
  village: VillageCode.optional(),
  status: LoanStatus.optional(),
  bucket: z.enum(DELINQUENCY_BUCKETS).optional().describe('delinquency bucket today'),
  limit: Limit,
  cursor: Cursor,
});

const Repayment = z.object({
  repaymentId: z.string(),
  amountFen: z.number().int(),
  method: z.enum(REPAYMENT_METHODS),
  reference: z.string(),
  receivedOn: z.string(),
  recordedBy: z.string(),
  reversed: z.object({ reason: z.string(), reversedBy: z.string() }).optional(),
  inKind: z
    .object({ description: z.string(), valuedBy: z.string(), confirmedBy: z.string() })
    .optional()
    .describe('in kind: what was handed over, the official who valued it and the one who confirmed the valuation'),
  receipt: z.string().describe('where its printable receipt is (GET)'),
});

export const LoanView = z.object({
  loanId: z.string(),
  schemeId: z.string(),
  batchId: z.string(),
  fundId: z.string(),
  disbursementId: z.string().describe('the payout of the principal'),
  householdId: z.string(),
  village: z.string(),
  status: LoanStatus,
  principalFen: z.number().int(),
  repaidFen: z.number().int(),
  writtenOffFen: z.number().int(),
  outstandingFen: z.number().int(),
  dueFen: z.number().int().describe('fallen due by today and not yet repaid'),
  daysPastDue: z.number().int(),
  bucket: z.enum(DELINQUENCY_BUCKETS),
  termsVersion: z.number().int(),
  agreementHash: z.string(),
  graceDays: z.number().int(),
  inKindAllowed: z.boolean(),
  paidOn: z.string().nullable(),
  schedule: z.array(z.object({ n: z.number().int(), dueDate: z.string(), amountFen: z.number().int() })),
  repayments: z.array(Repayment),
  pendingValuations: z.array(
    z.object({ valuationId: z.string(), amountFen: z.number().int(), description: z.string(), valuedBy: z.string(), receivedOn: z.string() }),
  ),
  hardships: z.array(
    z.object({
      hardshipId: z.string(),
      cause: z.enum(HARDSHIP_CAUSES),
      proposal: z.enum(['deferral', 'write_off']),
      deferMonths: z.number().int().optional(),
      status: z.enum(['proposed', 'granted', 'rejected']),
      approvals: z.array(z.string()),
    }),
  ),
  closedOn: z.string().nullable(),
  version: z.number().int(),
});

export const LoanListView = z.object({
  items: z.array(
    LoanView.pick({
      loanId: true,
      schemeId: true,
      householdId: true,
      village: true,
      status: true,
      principalFen: true,
      outstandingFen: true,
      daysPastDue: true,
      bucket: true,
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const RepaymentBody = z.object({
  amountFen: positiveFen('integer fen received, written as an integer literal; at most what is still owed (partial and early are fine)'),
  method: z.enum(['cash', 'bank_transfer']),
  reference: line(100, 'cash: the number on the paper receipt; bank transfer: the statement reference'),
  receivedOn: IsoDay.describe('the day the money was received; not in the future'),
});
export const RepaymentView = LoanView.extend({ repaymentId: z.string() });

export const ReceiptHtml = z.string().describe('a printable HTML receipt, Chinese first then English; the household is named by masked data only');

export const ReversalBody = z.object({ reason: prose(2000, { description: 'why the repayment was a mistake; the original stays on record' }) });

export const InKindBody = z.object({
  amountFen: positiveFen('the value put on what was handed over, integer fen'),
  description: line(500, 'what was handed over (e.g. a heifer calf, six months)'),
  receivedOn: IsoDay,
});
export const InKindView = LoanView.extend({ valuationId: z.string() });
export const InKindConfirmationBody = z.object({
  confirm: z.boolean().describe('false rejects the valuation'),
  reason: prose(2000, { optional: true, description: 'required to reject' }).optional(),
});

export const HardshipBody = z
  .object({
    cause: z.enum(HARDSHIP_CAUSES),
    evidenceHash: Hash.optional().describe('SHA-256 of the veterinary certificate or other proof'),
    proposal: z.enum(['deferral', 'write_off']).describe('deferral: the town decides; write-off: two county officials'),
    deferMonths: z.number().int().min(1).max(24).optional().describe('required for a deferral'),
    note: prose(4000),
  })
  .superRefine((b, ctx) => {
    if (b.proposal === 'deferral' && b.deferMonths === undefined) ctx.addIssue({ code: 'custom', path: ['deferMonths'], message: 'required for a deferral' });
  })
  .meta({ if: { properties: { proposal: { const: 'deferral' } }, required: ['proposal'] }, then: { required: ['deferMonths'] } });
export const HardshipView = LoanView.extend({ hardshipId: z.string() });
export const HardshipDecisionBody = z.object({ approve: z.boolean(), reason: prose(2000) });

export const OverdueQuery = z.object({
  jurisdiction: Jurisdiction.optional().describe('narrow to a town or village within yours'),
  scheme: SchemeId.optional(),
});
export const OverdueView = z.object({
  asOf: z.string(),
  rows: z.array(
    z.object({
      village: z.string(),
      bucket: z.enum(DELINQUENCY_BUCKETS),
      villageName: z.string().nullable(),
      loans: z.number().int(),
      outstandingFen: z.number().int(),
    }),
  ),
});
