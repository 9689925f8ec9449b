import { randomUUID } from 'node:crypto';
import { auditDecider, type AccessDeniedData } from '../../domain/audit/audit';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { handle } from '../../store/handle';
import type { AuthUser } from '../auth/user';

/**
 * Every denial is itself an event, on a daily hash-chained audit stream (read back by GET
 * /audit/denials): the 403s the error filter sends, and those of single cases within a batch.
 */
export async function recordDenial(store: EventStore, user: AuthUser, request: { method: string; path: string }, reason: string): Promise<void> {
  const data: AccessDeniedData = {
    userId: user.userId,
    role: user.role,
    jurisdiction: user.jurisdiction,
    method: request.method,
    path: request.path,
    reason,
  };
  await handle(
    store,
    STREAM_ID.accessDenials(new Date()),
    auditDecider,
    { type: 'RecordDenial', denial: data },
    {
      appendOnly: true,
      actor: user.userId,
      idempotencyKey: () => `denial:${randomUUID()}`,
    },
  );
}
