import { randomUUID } from 'node:crypto';
import { STREAM_ID } from '../domain/streams';
import { userDecider, type UserEvent } from '../domain/users/user-events';
import type { EventStore } from '../store/event-store';
import { handle } from '../store/handle';

/**
 * Records what happened to an account on its stream (`user-<id>`). Pass a store made `within` the
 * transaction that changed the account, so the record and the change commit together.
 */
export async function recordUserEvents(store: EventStore, userId: string, events: UserEvent[], actor: string): Promise<void> {
  if (events.length === 0) return;
  await handle(
    store,
    STREAM_ID.user(userId),
    userDecider,
    { type: 'Record', events },
    // Append-only (a retried HTTP request is answered by the Idempotency-Key before it gets here).
    { appendOnly: true, actor, idempotencyKey: (e) => `user:${e.type}:${randomUUID()}` },
  );
}
