import type { Pool } from 'pg';
import { GENESIS_HASH, eventHash } from './hash-chain';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';

export type ChainReport =
  | { ok: true; streams: number; events: number }
  | { ok: false; streams: number; events: number; streamId: string; version: number; problem: string };

const BATCH = 1000;

/**
 * Recomputes every event's hash and link, stream by stream, and reports the first broken
 * link. Reads in keyset-paged batches so memory stays flat on a large store.
 */
export async function verifyChain(pool: Pool, streamId?: string): Promise<ChainReport> {
  let streams = 0;
  let events = 0;
  let current: { id: string; version: number; hash: string } | undefined;
  let after: [string, number] = ['', 0];
  const heads = new Map<string, { version: number; last_hash: string }>();
  const closeStream = (): ChainReport | undefined => {
    if (!current) return undefined;
    const head = heads.get(current.id);
    if (!head || head.version !== current.version || head.last_hash !== current.hash) {
      return fail(current.id, current.version, 'the stream head does not match its last event (events removed or added out of band)');
    }
    return undefined;
  };
  const fail = (id: string, version: number, problem: string): ChainReport => ({ ok: false, streams, events, streamId: id, version, problem });

  for (;;) {
    const rows = (await pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (stream_id, version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
       ORDER BY stream_id, version LIMIT ${BATCH}`,
      [after[0], after[1], streamId ?? null],
    )).rows;
    if (rows.length === 0) break;
    const ids = [...new Set(rows.map((r) => r.stream_id))].filter((id) => !heads.has(id));
    for (const h of (await pool.query<{ stream_id: string; version: number; last_hash: string }>(
      'SELECT stream_id, version, last_hash FROM streams WHERE stream_id = ANY($1::text[])', [ids],
    )).rows) heads.set(h.stream_id, h);

    for (const row of rows) {
      const e = toStoredEvent(row);
      if (current?.id !== e.streamId) {
        const broken = closeStream();
        if (broken) return broken;
        heads.delete(current?.id ?? '');
        current = { id: e.streamId, version: 0, hash: GENESIS_HASH };
        streams++;
      }
      if (e.version !== current.version + 1) return fail(e.streamId, current.version + 1, `event version ${current.version + 1} is missing`);
      if (e.prevHash !== current.hash) return fail(e.streamId, e.version, 'prev_hash does not match the previous event\'s hash');
      const recomputed = eventHash(e.prevHash, {
        streamId: e.streamId, version: e.version, eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt,
      });
      if (recomputed !== e.hash) return fail(e.streamId, e.version, 'the event\'s content does not match its hash (edited)');
      current = { id: e.streamId, version: e.version, hash: e.hash };
      events++;
    }
    const last = rows[rows.length - 1];
    after = [last.stream_id, last.version];
  }
  const broken = closeStream();
  if (broken) return broken;
  // A stream whose events were all removed leaves a head with no rows behind it.
  const orphan = (await pool.query<{ stream_id: string; version: number }>(
    `SELECT s.stream_id, s.version FROM streams s
     WHERE s.version > 0 AND ($1::text IS NULL OR s.stream_id = $1)
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id) LIMIT 1`, [streamId ?? null],
  )).rows[0];
  if (orphan) return fail(orphan.stream_id, 1, `the stream head says version ${orphan.version} but it has no events`);
  return { ok: true, streams, events };
}
