import { FundIdParams } from './fund-schemas';
import * as R from './reconciliation-schemas';
import type { RouteSpec } from './route-spec';

/** Oversight of payouts (issue #4 items 4 and 5): daily reconciliation with the bank, and publicity. */
export const reconciliationRoutes = {
  reconcileFund: {
    method: 'post',
    path: '/funds/{fundId}/reconciliations',
    tag: 'funds',
    summary: "Reconcile a fund's payouts of one day against the bank statement",
    description:
      "Compares the bank's statement of the fund's account for the UTC day with the payouts our books record as settled that day, by idempotency key (the disbursement id). " +
      'Findings: missing_in_bank (booked, no bank line), missing_in_books (the bank paid something we have no record of), duplicate (several bank lines for one payout), amount_differs. ' +
      "Each finding is recorded once as an event on the day's reconciliation stream and opens a task for the fund manager (GET /tasks); a later run that no longer finds it closes the task. " +
      'Waits for the result. Running the same day again is safe: it returns the same result and records nothing new unless the bank or the books changed. ' +
      'This also runs by itself: the worker keeps a Temporal Schedule, daily-reconciliation, that reconciles every fund at 01:00 UTC for the day before.',
    access: ['fund_manager', 'auditor'],
    params: FundIdParams,
    body: R.ReconciliationBody,
    example: { date: '2025-11-20' },
    success: { status: 200, description: "the day's outcome", schema: R.ReconciliationView },
    errors: [400, 401, 403, 404, 422, 503],
  },
  listPayouts: {
    method: 'get',
    path: '/funds/{fundId}/payouts',
    tag: 'funds',
    summary: 'Publicity of payouts: what a fund approved and paid in a period',
    description:
      'Payouts are publicised (DOMAIN.md), so any authenticated user may read them, applicants included, within their own jurisdiction: ' +
      "the caller's jurisdiction must overlap the fund's (403 otherwise), and the list holds the payouts to villages within both. " +
      'Approved payouts (not yet paid) count on the day of their last status change, paid ones on the day they were recorded as paid (UTC). ' +
      'No ID numbers; account numbers masked. With ?format=csv (or Accept: text/csv): UTF-8 CSV with a BOM and a header row, amounts in integer fen and in yuan.',
    access: 'authenticated',
    params: FundIdParams,
    query: R.PayoutsQuery,
    success: {
      status: 200,
      description: "the period's approved and paid payouts, oldest first",
      schema: R.PayoutListView,
      otherTypes: { 'text/csv': R.PayoutsCsv },
    },
    errors: [400, 401, 403, 404],
  },
} satisfies Record<string, RouteSpec>;
