import type { DomainEvent } from '../domain/decider';
import type { StreamType } from '../domain/streams';
import type { EventStore } from '../store/event-store';
import { canonicalJson } from '../store/canonical-json';
import { IdempotencyConflictError } from '../store/errors';
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
  // A step that decided nothing (a timer that lost a race with a person's step, re-decided in
  // turn) records nothing. It used to reach the store's "append: no events" and fail on every
  // retry, which held the case's later steps behind it for good.
  if (events.length === 0) return { version: stream.expectedVersion, duplicate: false };
  const result = await appendDecided(store, { id: stream.id, type: stream.type, version: stream.expectedVersion }, events, {
    actor,
    metadata,
    idempotencyKey: (_event, version) => `${stream.id}#${version}`,
  });
  return { version: result.version, duplicate: result.duplicate };
}

/**
 * appendWorkflowStep for a step recorded by a local activity, which returns the events as the
 * stream holds them. A local activity is not in the workflow's history until the workflow task
 * that ran it completes: if the worker died after the append but before that, the task runs
 * again, later, and decides the same step again with its own (later) time. The keys then match
 * events of other content, and the first recording is the one readers have seen: that one is
 * returned, for the workflow to fold, when it is the same step (same event types, same actor,
 * same data but for timestamps). Anything else is a real conflict and is thrown.
 */
export async function appendWorkflowStepOnce<E extends DomainEvent>(
  store: EventStore,
  stream: { id: string; type: StreamType; expectedVersion: number },
  events: E[],
  actor: string,
  metadata?: Record<string, unknown>,
): Promise<{ version: number; events: E[]; redone: boolean }> {
  try {
    const { version } = await appendWorkflowStep(store, stream, events, actor, metadata);
    return { version, events, redone: false };
  } catch (e) {
    if (!(e instanceof IdempotencyConflictError)) throw e;
    const stored = (await store.readStream(stream.id, stream.expectedVersion + 1)).slice(0, events.length);
    const same =
      stored.length === events.length &&
      stored.every(
        (s, i) => s.type === events[i].type && s.metadata.actor === actor && canonicalJson(untimed(s.data)) === canonicalJson(untimed(events[i].data)),
      );
    if (!same) throw e;
    return { version: stream.expectedVersion + events.length, events: stored.map((s) => ({ type: s.type, data: s.data }) as unknown as E), redone: true };
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Event data with every timestamp blanked (the one thing a step decided again may change). */
function untimed(value: unknown): unknown {
  if (typeof value === 'string') return ISO_TIME.test(value) ? '<time>' : value;
  if (Array.isArray(value)) return value.map(untimed);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untimed(v)]));
  return value;
}
