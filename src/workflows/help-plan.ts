/**
 * A household's help plan (issue #13): drafted or changed by its helper or the officials of its
 * place, signed by three parties. Human steps are Updates with validators; each step is
 * decided again when its turn comes and recorded by an activity before the state here moves.
 * The plan lives as long as the household is helped: the workflow continues as new when its
 * history grows long.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { HelpActivities } from '../activities/help-activities';
import { DomainError } from '../domain/errors';
import { decideHelpPlan, type HelpPlanCommand, type HelpPlanState } from '../domain/help/help-plan';
import { serialQueue } from './serial';

export interface HelpPlanInput {
  householdId: string;
  /** Carried over a continue-as-new. */
  state?: HelpPlanState;
}

/** `step`: the request's own id (from its Idempotency-Key), so a retried step records nothing twice. */
export type PlanStepInput = { command: HelpPlanCommand; step: string; actor: string };

export const planStateQuery = defineQuery<HelpPlanState>('planState');
export const planStepUpdate = defineUpdate<HelpPlanState, [PlanStepInput]>('planStep');

const { recordPlanStep } = proxyActivities<HelpActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['ConcurrencyError', 'IdempotencyConflictError'] },
});

const toFailure = (e: unknown) => (e instanceof DomainError ? ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true }) : e);

const STEPS_PER_RUN = 200;

export async function helpPlan(input: HelpPlanInput): Promise<void> {
  let state: HelpPlanState = input.state ?? { planVersion: 0, signatures: [], effective: false };
  let steps = 0;
  const queue = serialQueue();

  setHandler(planStateQuery, () => state);
  setHandler(
    planStepUpdate,
    (i) =>
      queue.run(async () => {
        try {
          decideHelpPlan(i.command, state); // in turn: the state may have moved since validation
        } catch (e) {
          throw toFailure(e);
        }
        try {
          state = await recordPlanStep({ householdId: input.householdId, command: i.command, step: i.step, actor: i.actor });
        } catch (e) {
          // A rule the store's state broke (another writer got there first): the activity's own failure, not "activity failed".
          if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure) throw e.cause;
          throw e;
        }
        steps++;
        return state;
      }),
    {
      validator: (i) => {
        if (queue.busy) return; // judged in turn by the handler
        try {
          decideHelpPlan(i.command, state);
        } catch (e) {
          throw toFailure(e);
        }
      },
    },
  );

  await condition(() => steps >= STEPS_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof helpPlan>({ householdId: input.householdId, state });
}
