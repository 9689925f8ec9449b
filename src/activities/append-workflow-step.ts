import type { EventStore } from '../store/event-store';

/**
 * Appends events to a stream that one workflow alone writes. Each event's idempotency key is
 * its place in that stream (`streamId#version`), which the workflow decides deterministically,
 * so a retried activity, a restarted worker or a replay can never append a step twice.
 */
export async function appendWorkflowStep(
  store: EventStore,
  stream: { id: string; type: string; expectedVersion: number },
  events: { type: string; data: unknown }[],
  actor: string,
  metadata?: Record<string, unknown>,
): Promise<{ version: number; duplicate: boolean }> {
  const result = await store.append(stream.id, stream.type, stream.expectedVersion === 0 ? 'no_stream' : stream.expectedVersion,
    events.map((e, i) => ({
      type: e.type,
      data: e.data as Record<string, unknown>,
      actor,
      idempotencyKey: `${stream.id}#${stream.expectedVersion + i + 1}`,
      metadata,
    })));
  return { version: result.version, duplicate: result.duplicate };
}
