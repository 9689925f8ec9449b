import type { CaseEvent } from '../domain/case';
import type { EventStore } from '../store/event-store';

export const CASE_STREAM_TYPE = 'case';

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
  recordCaseEvents(input: RecordCaseEventsInput): Promise<{ version: number; duplicate: boolean }>;
}

/**
 * Appends a case's new events (and, in the same transaction, its projections). Each event's
 * idempotency key is its place in the case's stream, which the workflow alone decides, so a
 * retried activity, a restarted worker or a replay can never append a step twice.
 */
export function createCaseActivities(store: EventStore): CaseActivities {
  return {
    async recordCaseEvents({ caseId, expectedVersion, events, actor, cause }) {
      const result = await store.append(caseId, CASE_STREAM_TYPE, expectedVersion === 0 ? 'no_stream' : expectedVersion,
        events.map((e, i) => ({
          type: e.type,
          data: e.data as Record<string, unknown>,
          actor,
          idempotencyKey: `${caseId}#${expectedVersion + i + 1}`,
          metadata: { cause },
        })));
      return { version: result.version, duplicate: result.duplicate };
    },
  };
}
