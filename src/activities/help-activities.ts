/**
 * The side effects of the help processes (issue #13): a household's contact watcher records a
 * lost contact; a help plan's workflow records its steps. Thin: the rules are the deciders'.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { HelpPlanCommand, HelpPlanState } from '../domain/help/help-plan';
import { DomainError } from '../domain/errors';
import type { Pool } from 'pg';
import { reviewId } from '../domain/help/review';
import { recordHelpPlan, recordPairing, recordReview } from '../help/help-streams';
import { enrolledHouseholdsPage } from '../store/help/help-queries';
import { planHashOf } from '../help/plan-hash';
import type { EventStore } from '../store/event-store';

export interface LoseContactInput {
  pairingId: string;
  householdId: string;
  window: string;
  windowMs: number;
  /** Workflow time when the window ran out. */
  at: string;
}

export interface RecordPlanStepInput {
  householdId: string;
  command: HelpPlanCommand;
  /** The step's id (the Update's id): the events' idempotency keys derive from it. */
  step: string;
  actor: string;
}

export interface OpenReviewsInput {
  year: number;
  after: string | null;
  limit: number;
}

export function createHelpActivities(store: EventStore, pool: Pool) {
  return {
    /**
     * Opens this year's review for a page of enrolled households; a household reviewed already
     * this year is passed over (its review stream says so). Returns the page's last household.
     */
    async openReviews(i: OpenReviewsInput): Promise<{ households: number; opened: number; last: string | null }> {
      const page = await enrolledHouseholdsPage(pool, i.after, i.limit);
      let opened = 0;
      for (const h of page) {
        const id = reviewId(h.household_id, i.year);
        const r = await recordReview(
          store,
          id,
          { type: 'Open', reviewId: id, householdId: h.household_id, village: h.village, year: i.year },
          'open',
          'system:annual-review',
        );
        if (r.events.length > 0 && !r.duplicate) opened++;
      }
      return { households: page.length, opened, last: page[page.length - 1]?.household_id ?? null };
    },

    /** True when the contact was recorded as lost (false: a visit or the pairing's end got there first). */
    async loseContact(i: LoseContactInput): Promise<boolean> {
      const r = await recordPairing(
        store,
        i.householdId,
        { type: 'LoseContact', pairingId: i.pairingId, window: i.window, windowMs: i.windowMs, at: i.at },
        'system:contact-watch',
      );
      return r.events.some((e) => e.type === 'ContactLost');
    },

    /** Records one step of a help plan; the plan's hash is checked against its content first. */
    async recordPlanStep(i: RecordPlanStepInput): Promise<HelpPlanState> {
      if (i.command.type === 'Draft' && planHashOf(i.command.content) !== i.command.planHash) {
        throw ApplicationFailure.create({ type: 'invalid', message: 'the plan hash does not match its content', nonRetryable: true });
      }
      try {
        return (await recordHelpPlan(store, i.householdId, i.command, i.step, i.actor)).state;
      } catch (e) {
        if (e instanceof DomainError) throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true });
        throw e;
      }
    },
  };
}

export type HelpActivities = ReturnType<typeof createHelpActivities>;
