import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ConcurrencyError, IdempotencyConflictError, type ExpectedVersion } from './errors';
import { GENESIS_HASH, contentFingerprint, eventHash } from './hash-chain';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { withTransaction } from './transaction';
import type { AppendResult, NewEvent, Projector, StoredEvent } from './types';

export interface EventStoreOptions {
  projectors?: Projector[];
  clock?: () => Date;
}

/** A position in the global order; opaque to callers. */
export type GlobalCursor = string;

export class EventStore {
  private readonly projectors: Projector[];
  private readonly clock: () => Date;

  constructor(
    private readonly pool: Pool,
    options: EventStoreOptions = {},
  ) {
    this.projectors = options.projectors ?? [];
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Appends events to a stream if it is at `expected`, atomically with every projector.
   * Retrying with the same idempotency keys and content returns the first result.
   */
  async append(streamId: string, streamType: string, expected: ExpectedVersion, events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append: no events');
    // A concurrent twin of this very append may commit between our check and our insert;
    // its unique-key violation is then resolved by reading what it stored.
    for (let attempt = 0; ; attempt++) {
      try {
        return await withTransaction(this.pool, (tx) => this.appendInTransaction(tx, streamId, streamType, expected, events));
      } catch (e) {
        if (attempt < 3 && isUniqueViolation(e)) continue;
        throw e;
      }
    }
  }

  private async appendInTransaction(
    tx: PoolClient,
    streamId: string,
    streamType: string,
    expected: ExpectedVersion,
    events: NewEvent[],
  ): Promise<AppendResult> {
    // Lock the stream first: then the idempotency check below sees any twin that committed.
    await tx.query(`INSERT INTO streams (stream_id, stream_type, version, last_hash) VALUES ($1, $2, 0, $3) ON CONFLICT (stream_id) DO NOTHING`, [
      streamId,
      streamType,
      GENESIS_HASH,
    ]);
    const stream = (
      await tx.query<{ version: number; last_hash: string; stream_type: string }>(
        'SELECT version, last_hash, stream_type FROM streams WHERE stream_id = $1 FOR UPDATE',
        [streamId],
      )
    ).rows[0];

    const retried = await this.findRetried(tx, streamId, events);
    if (retried) return { events: retried, version: stream.version, duplicate: true };

    if (stream.stream_type !== streamType) throw new Error(`stream ${streamId} is a ${stream.stream_type}, not a ${streamType}`);
    const matches = expected === 'any' || (expected === 'no_stream' ? stream.version === 0 : stream.version === expected);
    if (!matches) throw new ConcurrencyError(streamId, expected, stream.version);

    const recordedAt = this.clock().toISOString();
    let prevHash = stream.last_hash;
    const stored: StoredEvent[] = [];
    for (const [i, e] of events.entries()) {
      const version = stream.version + i + 1;
      const eventId = randomUUID();
      // Round-trip through JSON so what we hash is exactly what jsonb will give back.
      const data = JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>;
      const metadata = JSON.parse(JSON.stringify({ ...e.metadata, actor: e.actor })) as StoredEvent['metadata'];
      const hash = eventHash(prevHash, { streamId, version, eventId, type: e.type, data, metadata, recordedAt });
      const row = (
        await tx.query<EventRow>(
          `INSERT INTO events (stream_id, version, event_id, type, data, metadata, idempotency_key, fingerprint, prev_hash, hash, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${EVENT_COLUMNS}`,
          [streamId, version, eventId, e.type, data, metadata, e.idempotencyKey, contentFingerprint(streamId, e.type, data), prevHash, hash, recordedAt],
        )
      ).rows[0];
      stored.push(toStoredEvent(row));
      prevHash = hash;
    }
    const version = stream.version + events.length;
    await tx.query('UPDATE streams SET version = $2, last_hash = $3, updated_at = now() WHERE stream_id = $1', [streamId, version, prevHash]);
    for (const project of this.projectors) await project(tx, streamType, stored);
    return { events: stored, version, duplicate: false };
  }

  /** The events stored earlier under these idempotency keys, if this append is a retry. */
  private async findRetried(tx: PoolClient, streamId: string, events: NewEvent[]): Promise<StoredEvent[] | undefined> {
    const keys = events.map((e) => e.idempotencyKey);
    const rows = (await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE idempotency_key = ANY($1::text[])`, [keys])).rows;
    if (rows.length === 0) return undefined;
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
    return events.map((e) => {
      const row = byKey.get(e.idempotencyKey);
      const data = JSON.parse(JSON.stringify(e.data));
      if (!row || rows.length !== events.length || row.fingerprint !== contentFingerprint(streamId, e.type, data)) {
        throw new IdempotencyConflictError(e.idempotencyKey);
      }
      return toStoredEvent(row);
    });
  }

  async readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    const rows = (
      await this.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version`, [streamId, fromVersion])
    ).rows;
    return rows.map(toStoredEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    const r = await this.pool.query<{ version: number }>('SELECT version FROM streams WHERE stream_id = $1', [streamId]);
    return r.rows[0]?.version ?? 0;
  }

  /**
   * Events in global order after `after`. Only events of transactions older than every
   * transaction still in flight are returned, so a later call never finds an event slotted
   * in before a cursor it already handed out.
   */
  async readAll(after: GlobalCursor | undefined, limit = 500): Promise<{ events: StoredEvent[]; cursor: GlobalCursor | undefined }> {
    const [tx, pos] = after ? after.split(':') : ['0', '0'];
    const rows = (
      await this.pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY transaction_id, global_position LIMIT $3`,
        [tx, pos, limit],
      )
    ).rows;
    const events = rows.map(toStoredEvent);
    const last = events.at(-1);
    return { events, cursor: last ? `${last.transactionId}:${last.globalPosition}` : after };
  }
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}
