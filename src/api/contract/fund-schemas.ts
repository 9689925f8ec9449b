import { z } from 'zod';
import { FUND_SOURCES } from '../../domain/funds/fund-events';
import { PURPOSES } from '../../domain/funds/disbursement';
import { positiveFen } from './money';
import { line, prose } from './text';
import { textRequiredWhen } from './required-when';
import { HOUSEHOLD_ID_PATTERN } from '../../domain/household';

const Jurisdiction = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) code');
const Account = z.string().regex(/^\d{8,30}$/, '8 to 30 digits');
/** Integer fen, positive, at most 1e12 (10 billion yuan), written as an integer literal: never a float. */
const Fen = positiveFen();

export const FundIdParams = z.object({ fundId: z.string().regex(/^fund-[0-9a-f-]{36}$/, 'a fund id') });
/** A disbursement id: `disb-<uuid>`, or a loan's payout `disb-loan-<batch uuid>-<n>` (issue #10). */
export const DisbursementIdParams = z.object({
  disbursementId: z.string().regex(/^disb-([0-9a-f-]{36}|loan-[0-9a-f-]{36}-[1-9][0-9]{0,5})$/, 'a disbursement id'),
});

export const OpenFundBody = z.object({
  name: line(200),
  jurisdiction: Jurisdiction,
  account: Account.describe("the fund's special bank account"),
});

export const DepositBody = z.object({
  amountFen: Fen,
  source: z.enum(FUND_SOURCES),
  reference: line(200, 'the document the money came with'),
});

export const DisbursementBody = z.object({
  fundId: FundIdParams.shape.fundId,
  payee: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('household'),
      householdId: z.string().regex(HOUSEHOLD_ID_PATTERN),
      account: Account.optional().describe("if given, must be the household's registered account"),
    }),
    z.object({
      type: z.literal('supplier'),
      supplierId: line(100),
      householdId: z.string().regex(HOUSEHOLD_ID_PATTERN).describe('the household the supplier served'),
      receipt: z.object({ number: line(100), amountFen: Fen, issuedAt: z.string().datetime() }),
      account: Account.optional(),
    }),
  ]),
  purpose: z.enum(PURPOSES),
  amountFen: Fen,
});

const DisbursementDecisionFields = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: prose(2000, { optional: true, description: 'required to reject' }).optional(),
});

export const DisbursementDecisionBody = textRequiredWhen(DisbursementDecisionFields, { key: 'decision', values: ['reject'] }, 'reason', 'required to reject');

export const FundView = z.object({
  fundId: z.string(),
  name: z.string(),
  jurisdiction: z.string(),
  currency: z.literal('CNY'),
  balances: z.object({ depositedFen: z.number().int(), availableFen: z.number().int(), reservedFen: z.number().int(), paidFen: z.number().int() }),
  sources: z.array(z.object({ source: z.enum(FUND_SOURCES), amountFen: z.number().int() })),
  lastReconciliation: z.object({ date: z.string(), at: z.string(), matched: z.number().int(), mismatches: z.number().int() }).nullable(),
});

export const FundListView = z.object({
  items: z.array(FundView.pick({ fundId: true, name: true, jurisdiction: true, currency: true, balances: true })),
  nextCursor: z.string().nullable(),
});

export const LedgerView = z.object({
  fundId: z.string(),
  entries: z.array(
    z.object({
      entryId: z.string(),
      kind: z.string(),
      reference: z.string(),
      bookedAt: z.string(),
      lines: z.array(z.object({ account: z.string(), debitFen: z.number().int(), creditFen: z.number().int() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const DisbursementView = z.object({
  disbursementId: z.string(),
  fundId: z.string(),
  status: z.string(),
  purpose: z.enum(PURPOSES),
  amountFen: z.number().int(),
  payee: z.object({ type: z.enum(['household', 'supplier']), id: z.string(), accountMasked: z.string() }),
  requiredApprovals: z.array(z.enum(['town', 'county'])),
  approvals: z.array(z.object({ level: z.enum(['town', 'county']), by: z.string() })),
  requestedBy: z.string(),
  reason: z.string().nullable(),
  paymentId: z.string().nullable(),
  requestedAt: z.string(),
  updatedAt: z.string(),
});
