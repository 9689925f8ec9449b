import type { AccessDeniedData } from '../../domain/audit/audit';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';

/** `access_denials`, the read model behind GET /audit/denials, in the append's transaction. */
export const denialProjector = projectorOf([STREAM_TYPE.audit], async (tx, events) => {
  for (const e of events) {
    if (e.type !== 'AccessDenied') continue;
    const d = e.data as unknown as AccessDeniedData;
    await tx.query(
      `INSERT INTO access_denials (event_id, at, stream_id, version, user_id, role, jurisdiction, method, path, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.eventId, e.recordedAt, e.streamId, e.version, d.userId, d.role, d.jurisdiction, d.method, d.path, d.reason ?? ''],
    );
  }
});
