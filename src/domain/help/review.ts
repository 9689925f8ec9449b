/**
 * Annual re-verification (DOMAIN.md: "annual re-verification, prompt removal of those who no
 * longer qualify"): every enrolled household gets one review a year, a light procedure: its
 * village confirms it still qualifies, or proposes its exit (which starts the exit procedure,
 * with its own verification, publicity and announcement). One stream per household and year.
 */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import type { Actor } from '../roles';
import { STREAM_TYPE } from '../streams';

export type ReviewStatus = 'open' | 'confirmed' | 'exit_proposed';

export interface ReviewState {
  reviewId?: string;
  householdId?: string;
  village?: string;
  year?: number;
  status?: ReviewStatus;
}

export type ReviewEvent =
  | { type: 'ReviewOpened'; data: { reviewId: string; householdId: string; village: string; year: number } }
  | { type: 'ReviewConfirmed'; data: { reviewId: string; note: string; by: string } }
  | { type: 'ReviewExitProposed'; data: { reviewId: string; reason: string; exitCaseId: string; by: string } };

export type ReviewCommand =
  | { type: 'Open'; reviewId: string; householdId: string; village: string; year: number }
  | { type: 'Confirm'; note: string; actor: Actor }
  | { type: 'ProposeExit'; reason: string; exitCaseId: string; actor: Actor };

export const reviewId = (householdId: string, year: number) => `review-${householdId}-${year}`;

/** The village's own officials review; the town may too (it verifies exits). */
const REVIEWERS = ['village_official', 'town_official'] as const;

function assertReviewer(actor: Actor, s: ReviewState): void {
  if (!(REVIEWERS as readonly string[]).includes(actor.role) || !s.village?.startsWith(actor.jurisdiction)) {
    throw new DomainError('forbidden', "only the household's village or town officials review it");
  }
}

export function decideReview(c: ReviewCommand, s: ReviewState): ReviewEvent[] {
  switch (c.type) {
    case 'Open':
      if (s.status) return []; // opened already (the yearly run again, or retried)
      return [{ type: 'ReviewOpened', data: { reviewId: c.reviewId, householdId: c.householdId, village: c.village, year: c.year } }];
    case 'Confirm':
    case 'ProposeExit': {
      if (!s.status || !s.reviewId) throw new DomainError('not_found', 'no such review');
      assertReviewer(c.actor, s);
      if (s.status !== 'open') throw new DomainError('conflict', `the review is already closed (${s.status})`);
      return c.type === 'Confirm'
        ? [{ type: 'ReviewConfirmed', data: { reviewId: s.reviewId, note: c.note, by: c.actor.userId } }]
        : [{ type: 'ReviewExitProposed', data: { reviewId: s.reviewId, reason: c.reason, exitCaseId: c.exitCaseId, by: c.actor.userId } }];
    }
    default:
      return assertNever(c);
  }
}

export function evolveReview(s: ReviewState, e: ReviewEvent): ReviewState {
  switch (e.type) {
    case 'ReviewOpened':
      return { reviewId: e.data.reviewId, householdId: e.data.householdId, village: e.data.village, year: e.data.year, status: 'open' };
    case 'ReviewConfirmed':
      return { ...s, status: 'confirmed' };
    case 'ReviewExitProposed':
      return { ...s, status: 'exit_proposed' };
    default:
      return assertNever(e);
  }
}

export const reviewDecider: StreamDecider<ReviewState, ReviewCommand, ReviewEvent> = {
  streamType: STREAM_TYPE.review,
  decide: decideReview,
  evolve: evolveReview,
  initialState: () => ({}),
};
