/**
 * The one command handler: every append to the event store goes through here (a test looks
 * for any other). Read the stream, fold it with the stream's decider from its initial state,
 * decide, append at the version read with the events' idempotency keys; when another writer
 * got in first, read again and decide again, a bounded number of times with jittered back-off.
 * A retried command whose events carry the same keys gets the first result (the store finds
 * them by key before it checks the version).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent, StreamDecider } from '../domain/decider';
import type { StreamType } from '../domain/streams';
import { ConcurrencyError } from './errors';
import type { EventStore } from './event-store';
import type { AppendResult, StoredEvent } from './types';

interface Common {
  /** Who caused it: a user id, or `system:<component>`. */
  actor: string;
  /** Further context kept with each event (correlation ids, the update id, …). */
  metadata?: Record<string, unknown>;
}

/** For a stream whose decisions depend on what it holds: appended at the version read. */
export interface AtVersion<E> extends Common {
  appendOnly?: false;
  /** Each new event's key, from the event and the version it will have; the same on a retry of the same command. */
  idempotencyKey: (event: E, version: number) => string;
  /** Attempts before a version conflict is given up as a ConcurrencyError (default 12). */
  maxAttempts?: number;
}

/** For an append-only log whose decisions never depend on what it holds: not read, appended at any version. */
export interface AppendOnly<E> extends Common {
  appendOnly: true;
  idempotencyKey: (event: E) => string;
}

export type HandleOptions<E> = AtVersion<E> | AppendOnly<E>;

export interface Handled<S> {
  /** The stream's state after the command. */
  state: S;
  /** The events appended (on a retry, those the first attempt stored); none if the command changed nothing. */
  events: StoredEvent[];
  version: number;
  /** True when the events were already stored under their keys (a retried command). */
  duplicate: boolean;
}

const DEFAULT_ATTEMPTS = 12;

export async function handle<S, C, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: StreamDecider<S, C, E>,
  command: C,
  options: HandleOptions<E>,
): Promise<Handled<S>> {
  if (options.appendOnly) {
    const state = decider.initialState();
    const keyOf = options.idempotencyKey;
    const result = await store.append(
      streamId,
      decider.streamType,
      'any',
      toNew(decider.decide(command, state), options, () => keyOf),
    );
    return { state: foldStored(decider, state, result.events), ...result };
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await readState(store, streamId, decider);
    const events = decider.decide(command, state);
    if (events.length === 0) return { state, events: [], version, duplicate: false };
    try {
      const result = await appendDecided(store, { id: streamId, type: decider.streamType, version }, events, options);
      // A duplicate's events may or may not be in what we read (a twin committed in between): read again.
      const after = result.duplicate ? (await readState(store, streamId, decider)).state : foldStored(decider, state, result.events);
      return { state: after, ...result };
    } catch (e) {
      if (!(e instanceof ConcurrencyError) || attempt >= maxAttempts) throw e;
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * The core every append shares: events already decided, appended at the version they were
 * decided on. A workflow that is its stream's only writer decides in the workflow and appends
 * through this directly (src/activities/append-workflow-step.ts); a conflict there is not
 * retried, since nobody else should have written.
 */
export function appendDecided<E extends DomainEvent>(
  store: EventStore,
  stream: { id: string; type: StreamType; version: number },
  events: E[],
  options: AtVersion<E>,
): Promise<AppendResult> {
  const { version } = stream;
  return store.append(
    stream.id,
    stream.type,
    version === 0 ? 'no_stream' : version,
    toNew(events, options, (i) => (e) => options.idempotencyKey(e, version + i + 1)),
  );
}

/** The stream's state and version, folded from its events. */
export async function readState<S, C, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: StreamDecider<S, C, E>,
): Promise<{ state: S; version: number }> {
  const stored = await store.readStream(streamId);
  return { state: foldStored(decider, decider.initialState(), stored), version: stored.at(-1)?.version ?? 0 };
}

function foldStored<S, C, E extends DomainEvent>(decider: StreamDecider<S, C, E>, state: S, stored: StoredEvent[]): S {
  // Stored data is what an earlier decide produced for this stream type: its own event type.
  return stored.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as unknown as E, { version: e.version, recordedAt: e.recordedAt }), state);
}

function toNew<E extends DomainEvent>(events: E[], options: Common, keyOf: (i: number) => (e: E) => string) {
  return events.map((e, i) => ({
    type: e.type,
    data: e.data as Record<string, unknown>,
    actor: options.actor,
    idempotencyKey: keyOf(i)(e),
    metadata: options.metadata,
  }));
}

/** Full jitter: writers that collided spread out instead of colliding again. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(250, 5 * 2 ** attempt);
}
