import { z } from 'zod';
import { MISMATCH_KINDS } from '../../domain/funds/reconciliation';
import { PURPOSES } from '../../domain/funds/disbursement';

/** A real calendar day, YYYY-MM-DD (UTC, as bank statements are): its pattern refuses 2026-02-30, in the document too (format: date). */
/** A calendar day; none of the records (payouts, repayments, denials) is older than 1900, so an earlier day is a typing mistake. */
export const IsoDay = z.iso.date('a real date YYYY-MM-DD').refine((d) => d >= '1900-01-01', '不早于 1900-01-01 (a day from 1900-01-01 on)');

export const ReconciliationBody = z.object({
  date: IsoDay.describe('the UTC day whose payouts to reconcile: today or earlier (a day that has not begun is 422)'),
});

const MismatchView = z.object({
  kind: z.enum(MISMATCH_KINDS),
  key: z.string().describe("the payment's idempotency key: our disbursement id, or whatever key the bank shows"),
  booksAmountFen: z.number().int().nullable(),
  bankAmountsFen: z.array(z.number().int()),
  bankPaymentIds: z.array(z.string()),
  toAccountsMasked: z.array(z.string()),
});

export const ReconciliationView = z.object({
  fundId: z.string(),
  date: z.string(),
  matched: z.number().int(),
  mismatches: z.array(MismatchView).describe("each is also an event on the day's reconciliation stream and an open task for the fund manager"),
  bankLines: z.number().int(),
  bookedPayouts: z.number().int(),
  reconciledAt: z.string().describe('when this outcome was recorded; a re-run with the same outcome returns the same'),
});

const DAY_MS = 86_400_000;
/** Days from `from` to `to`, both YYYY-MM-DD. */
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

export const PayoutsQuery = z
  .object({
    from: IsoDay.describe('first day (UTC), inclusive; on or before `to`'),
    to: IsoDay.describe('last day (UTC), inclusive; on or after `from`, and at most 365 days after it (a period is at most 366 days)'),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same list as text/csv (or send Accept: text/csv)'),
  })
  .superRefine(({ from, to }, ctx) => {
    const days = daysBetween(from, to);
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'before from: the period ends before it begins' });
    else if (days >= 366) ctx.addIssue({ code: 'custom', path: ['to'], message: 'more than 365 days after from: a period is at most 366 days' });
  });

/** The payouts list as a file (?format=csv, or Accept: text/csv). */
export const PayoutsCsv = z
  .string()
  .describe(
    'UTF-8 CSV with a BOM and a header row (disbursement_id, payee_type, household_id, supplier_id, village_code, village_name, purpose, amount_fen, amount_yuan, status, paid_date, account_masked), CRLF line ends',
  );

export const PayoutView = z.object({
  disbursementId: z.string(),
  payeeType: z.enum(['household', 'supplier']),
  householdId: z.string().nullable(),
  supplierId: z.string().nullable(),
  village: z.string(),
  villageName: z.string().nullable(),
  purpose: z.enum(PURPOSES),
  amountFen: z.number().int(),
  amountYuan: z.string().describe('formatted from the integer fen, e.g. 1500.00'),
  status: z.enum(['approved', 'paid']).describe('approved: approved and on its way; paid: the bank has paid it'),
  paidDate: z.string().nullable().describe('UTC day the payment was recorded as paid'),
  accountMasked: z.string().describe('last four digits only'),
});

export const PayoutListView = z.object({
  fundId: z.string(),
  fundName: z.string(),
  from: z.string(),
  to: z.string(),
  scope: z.string().describe("the jurisdiction whose payouts are listed: the narrower of the fund's and the caller's"),
  items: z.array(PayoutView),
  count: z.number().int(),
  totalFen: z.number().int(),
  totalYuan: z.string(),
});
