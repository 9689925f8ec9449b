/**
 * The side effects of the help processes (issue #13): a household's contact watcher records a
 * lost contact; a help plan's workflow records its steps. Thin: the rules are the deciders'.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { HelpPlanCommand, HelpPlanState } from '../domain/help/help-plan';
import { DomainError } from '../domain/errors';
import { recordHelpPlan, recordPairing } from '../help/help-streams';
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

export function createHelpActivities(store: EventStore) {
  return {
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
