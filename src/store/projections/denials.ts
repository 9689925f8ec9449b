import type { Projector } from '../types';

/** Recorded 403s live on one hash-chained stream per UTC day, of this stream type. */
export const AUDIT_STREAM_TYPE = 'audit';
export const denialStreamId = (at: Date) => `audit-denials-${at.toISOString().slice(0, 10)}`;

/** What the API records for each refused request (src/api/http/problem.filter.ts). */
export interface AccessDeniedData {
  userId: string;
  role: string;
  jurisdiction: string;
  method: string;
  path: string;
  reason: string;
}

/** `access_denials`, the read model behind GET /audit/denials, in the append's transaction. */
export const denialProjector: Projector = async (tx, streamType, events) => {
  if (streamType !== AUDIT_STREAM_TYPE) return;
  for (const e of events) {
    if (e.type !== 'AccessDenied') continue;
    const d = e.data as unknown as AccessDeniedData;
    await tx.query(
      `INSERT INTO access_denials (event_id, at, stream_id, version, user_id, role, jurisdiction, method, path, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.eventId, e.recordedAt, e.streamId, e.version, d.userId, d.role, d.jurisdiction, d.method, d.path, d.reason ?? ''],
    );
  }
};
