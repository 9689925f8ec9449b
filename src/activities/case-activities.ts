import type { CaseEvent } from '../domain/case';
import { STREAM_ID, STREAM_TYPE } from '../domain/streams';
import type { EventStore } from '../store/event-store';
import { appendWorkflowStep, appendWorkflowStepOnce } from './append-workflow-step';

export interface RecordCaseEventsInput {
  caseId: string;
  /** The stream version the workflow's state was built from. */
  expectedVersion: number;
  events: CaseEvent[];
  /** User id, or `system:<what>` for timers. */
  actor: string;
  /** The Temporal update id (or timer step) that caused this, kept with each event for audit. */
  cause: string;
}

export interface CaseActivities {
  /** Recorded as an ordinary activity by cases started before the workflow's RECORD_STEP_LOCALLY patch. */
  recordCaseEvents(input: RecordCaseEventsInput): Promise<{ version: number; duplicate: boolean }>;
  /**
   * Run as a local activity. `events` is there only when the stream holds an earlier attempt of
   * this step rather than the events sent (a worker died before its workflow task completed; see
   * appendWorkflowStepOnce): the workflow folds those instead. Otherwise the result is small,
   * as it goes into the workflow's history.
   */
  recordCaseStep(input: RecordCaseEventsInput): Promise<{ version: number; events?: CaseEvent[] }>;
}

/**
 * Appends a case's new events (and, in the same transaction, its projections). Each event's
 * idempotency key is its place in the case's stream, which the workflow alone decides, so a
 * retried activity, a restarted worker or a replay can never append a step twice.
 */
export function createCaseActivities(store: EventStore): CaseActivities {
  return {
    recordCaseEvents({ caseId, expectedVersion, events, actor, cause }) {
      return appendWorkflowStep(store, { id: STREAM_ID.case(caseId), type: STREAM_TYPE.case, expectedVersion }, events, actor, { cause });
    },
    async recordCaseStep({ caseId, expectedVersion, events, actor, cause }) {
      const stream = { id: STREAM_ID.case(caseId), type: STREAM_TYPE.case, expectedVersion };
      const { version, events: stored, redone } = await appendWorkflowStepOnce(store, stream, events, actor, { cause });
      return redone ? { version, events: stored } : { version };
    },
  };
}
