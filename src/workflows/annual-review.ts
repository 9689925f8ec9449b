/**
 * Annual re-verification (issue #13): started once a year by a Temporal Schedule
 * (src/worker/schedules.ts), it opens this year's review for every enrolled household, a page
 * at a time. Reopening is harmless (a household's review of a year is one stream, opened once),
 * so a retried page, a second run, or a run the schedule caught up on opens nothing twice. It
 * continues as new every few pages: at 100,000 households its history stays small.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { HelpActivities } from '../activities/help-activities';

export interface AnnualReviewInput {
  /** The year reviewed; by default the year the run started in (UTC, workflow time). */
  year?: number;
  /** Carried over a continue-as-new: where the next page begins, and the counts so far. */
  after?: string | null;
  households?: number;
  opened?: number;
  /** Households per page (default 500). */
  pageSize?: number;
}

export interface AnnualReviewResult {
  year: number;
  households: number;
  opened: number;
}

const { openReviews } = proxyActivities<HelpActivities>({
  // A page of 500 appends takes seconds; a store outage is waited out with backoff.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const PAGES_PER_RUN = 20;

export async function annualReview(input: AnnualReviewInput = {}): Promise<AnnualReviewResult> {
  const year = input.year ?? new Date().getUTCFullYear();
  const limit = input.pageSize ?? 500;
  let after = input.after ?? null;
  let households = input.households ?? 0;
  let opened = input.opened ?? 0;
  for (let page = 0; ; page++) {
    if (page === PAGES_PER_RUN) return continueAsNew<typeof annualReview>({ year, after, households, opened, pageSize: limit });
    const r = await openReviews({ year, after, limit });
    households += r.households;
    opened += r.opened;
    if (r.households < limit || r.last === null) return { year, households, opened };
    after = r.last;
  }
}
