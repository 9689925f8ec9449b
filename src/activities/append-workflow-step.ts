import type { DomainEvent } from '../domain/decider';
import type { StreamType } from '../domain/streams';
import type { EventStore } from '../store/event-store';
import { appendDecided } from '../store/handle';

/**
 * Appends events to a stream that one workflow alone writes: the workflow decided them with
 * the stream's decider, on the version it passes. Each event's idempotency key is its place in
 * that stream (`streamId#version`), which the workflow decides deterministically, so a retried
 * activity, a restarted worker or a replay can never append a step twice. (Running workflows
 * and recorded histories depend on these keys: they must not change.)
 */
export async function appendWorkflowStep(
  store: EventStore,
  stream: { id: string; type: StreamType; expectedVersion: number },
  events: DomainEvent[],
  actor: string,
  metadata?: Record<string, unknown>,
): Promise<{ version: number; duplicate: boolean }> {
  const result = await appendDecided(store, { id: stream.id, type: stream.type, version: stream.expectedVersion }, events, {
    actor,
    metadata,
    idempotencyKey: (_event, version) => `${stream.id}#${version}`,
  });
  return { version: result.version, duplicate: result.duplicate };
}
