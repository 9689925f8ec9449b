import type { Pool, PoolClient } from 'pg';
import { AnchorCheck } from './anchor/anchor-check';
import type { AnchorLog } from './anchor/anchor-log';
import { GENESIS_HASH, eventHash } from './hash-chain';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { withTransaction } from './transaction';

export interface AnchorSummary {
  checkpoints: number;
  latest: { seq: number; at: string; streams: number; events: number } | null;
}

export type ChainReport =
  | { ok: true; streams: number; events: number; anchors?: AnchorSummary }
  | { ok: false; streams: number; events: number; streamId: string; version: number; problem: string; anchors?: AnchorSummary };

export interface VerifyOptions {
  /** Only this stream (its events and head, and its anchored points). */
  streamId?: string;
  /** Signed checkpoints to hold the store to (see anchor/); without them only the chain itself is checked. */
  anchors?: AnchorLog;
  /** Receives each stream's head once its chain has checked out (the anchor writer collects them). */
  onHead?: (streamId: string, version: number, hash: string) => void;
}

const BATCH = 1000;

/**
 * Recomputes every event's hash and link, stream by stream, and reports the first broken
 * link. Everything is read in one REPEATABLE READ, READ ONLY transaction: events and stream
 * heads come from the same snapshot, so appends committing meanwhile (a burst of denials on
 * today's audit stream) can never look like a head that disagrees with its events.
 */
export async function verifyChain(pool: Pool, target?: string | VerifyOptions): Promise<ChainReport> {
  const options = typeof target === 'string' ? { streamId: target } : (target ?? {});
  return withTransaction(pool, (tx) => verifySnapshot(tx, options), { isolation: 'REPEATABLE READ', readOnly: true });
}

/**
 * The walk itself, on a client whose transaction holds one snapshot (REPEATABLE READ): the
 * caller opens it, so that it may read more from the same snapshot. Keyset-paged batches keep
 * memory flat on a large store.
 */
export async function verifySnapshot(tx: PoolClient, { streamId, anchors, onHead }: VerifyOptions): Promise<ChainReport> {
  let streams = 0;
  let events = 0;
  let current: { id: string; version: number; hash: string } | undefined;
  let after: [string, number] = ['', 0];
  const heads = new Map<string, { version: number; last_hash: string }>();
  const check = anchors ? new AnchorCheck(anchors, streamId) : undefined;
  const summary = check ? { anchors: check.summary() } : {};
  const fail = (id: string, version: number, problem: string): ChainReport => ({ ok: false, streams, events, streamId: id, version, problem, ...summary });
  const closeStream = (): ChainReport | undefined => {
    if (!current) return undefined;
    const head = heads.get(current.id);
    if (!head || head.version !== current.version || head.last_hash !== current.hash) {
      return fail(current.id, current.version, 'the stream head does not match its last event (events removed or added out of band)');
    }
    const finding = check?.streamEnd(current.id, current.version);
    if (finding) return fail(finding.streamId, finding.version, finding.problem);
    onHead?.(current.id, current.version, current.hash);
    return undefined;
  };

  for (;;) {
    const rows = (
      await tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (stream_id, version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
       ORDER BY stream_id, version LIMIT ${BATCH}`,
        [after[0], after[1], streamId ?? null],
      )
    ).rows;
    if (rows.length === 0) break;
    const ids = [...new Set(rows.map((r) => r.stream_id))].filter((id) => !heads.has(id));
    for (const h of (
      await tx.query<{ stream_id: string; version: number; last_hash: string }>(
        'SELECT stream_id, version, last_hash FROM streams WHERE stream_id = ANY($1::text[])',
        [ids],
      )
    ).rows)
      heads.set(h.stream_id, h);

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
      if (e.prevHash !== current.hash) return fail(e.streamId, e.version, "prev_hash does not match the previous event's hash");
      const recomputed = eventHash(e.prevHash, {
        streamId: e.streamId,
        version: e.version,
        eventId: e.eventId,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt,
      });
      if (recomputed !== e.hash) return fail(e.streamId, e.version, "the event's content does not match its hash (edited)");
      const finding = check?.event(e.streamId, e.version, e.hash);
      if (finding) return fail(finding.streamId, finding.version, finding.problem);
      current = { id: e.streamId, version: e.version, hash: e.hash };
      events++;
    }
    const last = rows[rows.length - 1];
    after = [last.stream_id, last.version];
  }
  const broken = closeStream();
  if (broken) return broken;
  // A stream whose events were all removed leaves a head with no rows behind it.
  const orphan = (
    await tx.query<{ stream_id: string; version: number }>(
      `SELECT s.stream_id, s.version FROM streams s
     WHERE s.version > 0 AND ($1::text IS NULL OR s.stream_id = $1)
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id) LIMIT 1`,
      [streamId ?? null],
    )
  ).rows[0];
  if (orphan) return fail(orphan.stream_id, 1, `the stream head says version ${orphan.version} but it has no events`);
  const finding = check?.missing() ?? check?.total(events);
  if (finding) return fail(finding.streamId, finding.version, finding.problem);
  return { ok: true, streams, events, ...summary };
}
