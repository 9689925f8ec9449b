import { z } from 'zod';
import { MISMATCH_KINDS } from '../../domain/funds/reconciliation';
import { PURPOSES } from '../../domain/funds/disbursement';

/** A real calendar day, YYYY-MM-DD (UTC, as bank statements are). */
export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real date');

export const ReconciliationBody = z.object({
  date: IsoDay.describe('the UTC day whose payouts to reconcile; today or earlier'),
});

const MismatchView = z.object({
  kind: z.enum(MISMATCH_KINDS),
  key: z.string().describe('the payment\'s idempotency key: our disbursement id, or whatever key the bank shows'),
  booksAmountFen: z.number().int().nullable(),
  bankAmountsFen: z.array(z.number().int()),
  bankPaymentIds: z.array(z.string()),
  toAccountsMasked: z.array(z.string()),
});

export const ReconciliationView = z.object({
  fundId: z.string(),
  date: z.string(),
  matched: z.number().int(),
  mismatches: z.array(MismatchView).describe('each is also an event on the day\'s reconciliation stream and an open task for the fund manager'),
  bankLines: z.number().int(),
  bookedPayouts: z.number().int(),
  reconciledAt: z.string().describe('when this outcome was recorded; a re-run with the same outcome returns the same'),
});

export const PayoutsQuery = z.object({
  from: IsoDay.describe('first day (UTC), inclusive'),
  to: IsoDay.describe('last day (UTC), inclusive; at most 366 days after from'),
  format: z.enum(['json', 'csv']).optional().describe('csv: the same list as text/csv (or send Accept: text/csv)'),
});

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
  scope: z.string().describe('the jurisdiction whose payouts are listed: the narrower of the fund\'s and the caller\'s'),
  items: z.array(PayoutView),
  count: z.number().int(),
  totalFen: z.number().int(),
  totalYuan: z.string(),
});
