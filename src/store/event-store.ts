import { randomUUID } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { ConcurrencyError, IdempotencyConflictError, type ExpectedVersion } from './errors';
import { contentFingerprint, openCanonical } from './hash-chain';
import { projects } from './projector';
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
    /** Set by within(): every read and append runs on this client, inside its transaction. */
    private readonly tx?: PoolClient,
  ) {
    this.projectors = options.projectors ?? [];
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * This store, reading and appending inside the caller's open transaction on `tx`: the events
   * (and the projectors' writes) commit or roll back with the caller's other writes, e.g. a
   * log-in's counters on the user's row it holds locked and the events recording the attempt.
   */
  within(tx: PoolClient): EventStore {
    return new EventStore(this.pool, { projectors: this.projectors, clock: this.clock }, tx);
  }

  /**
   * Appends events to a stream if it is at `expected`, atomically with every projector that
   * reads the stream's type. Retrying with the same idempotency keys and content returns the
   * first result. The database does the append in one statement (append_events, migration
   * 015): with no projector to run that is the whole append, one round trip and a commit;
   * otherwise it runs in a transaction with the projectors.
   */
  async append(streamId: string, streamType: string, expected: ExpectedVersion, events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append: no events');
    const projectors = this.projectors.filter((p) => projects(p, streamType));
    if (this.tx) return this.appendWithin(this.tx, projectors, streamId, streamType, expected, events);
    // A concurrent twin of this very append may commit between our check and our insert (one
    // with the same key on another stream takes no lock of ours); its unique-key violation is
    // then resolved by reading what it stored.
    for (let attempt = 0; ; attempt++) {
      try {
        const call = this.appendCall(streamId, streamType, expected, events);
        if (projectors.length === 0) return toAppendResult(await this.pool.query<AppendRow>(call));
        return await withTransaction(this.pool, async (tx) => {
          const result = toAppendResult(await tx.query<AppendRow>(call));
          if (!result.duplicate) for (const project of projectors) await project(tx, streamType, result.events);
          return result;
        });
      } catch (e) {
        if (attempt < 3 && isUniqueViolation(e)) continue;
        throw storeError(e, streamId, expected);
      }
    }
  }

  /** In the caller's transaction: no retry of a unique violation here, since it has aborted the transaction (the caller's retry runs it all again). */
  private async appendWithin(
    tx: PoolClient,
    projectors: Projector[],
    streamId: string,
    streamType: string,
    expected: ExpectedVersion,
    events: NewEvent[],
  ): Promise<AppendResult> {
    try {
      const result = toAppendResult(await tx.query<AppendRow>(this.appendCall(streamId, streamType, expected, events)));
      if (!result.duplicate) for (const project of projectors) await project(tx, streamType, result.events);
      return result;
    } catch (e) {
      throw storeError(e, streamId, expected);
    }
  }

  /** The statement that appends: each event's fields go as the canonical text they are hashed in. */
  private appendCall(streamId: string, streamType: string, expected: ExpectedVersion, events: NewEvent[]) {
    const recordedAt = this.clock().toISOString();
    const sent = events.map((e) => {
      // Round-trip through JSON so what we hash is exactly what jsonb will give back.
      const data = JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>;
      const metadata = JSON.parse(JSON.stringify({ ...e.metadata, actor: e.actor })) as StoredEvent['metadata'];
      return {
        key: e.idempotencyKey,
        fingerprint: contentFingerprint(streamId, e.type, data),
        canonical: openCanonical({ streamId, eventId: randomUUID(), type: e.type, data, metadata, recordedAt }),
      };
    });
    return {
      text: `SELECT ${EVENT_COLUMNS}, duplicate, stream_version FROM append_events($1, $2, $3, $4::jsonb)`,
      values: [streamId, streamType, expected === 'any' ? null : expected === 'no_stream' ? 0 : expected, JSON.stringify(sent)],
    };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    const rows = (
      await (this.tx ?? this.pool).query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version`, [
        streamId,
        fromVersion,
      ])
    ).rows;
    return rows.map(toStoredEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    const r = await (this.tx ?? this.pool).query<{ version: number }>('SELECT version FROM streams WHERE stream_id = $1', [streamId]);
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

/** What append_events returns: the stored rows, and whether they are a retry's and the stream's version. */
interface AppendRow extends EventRow {
  duplicate: boolean;
  stream_version: number;
}

function toAppendResult({ rows }: { rows: AppendRow[] }): AppendResult {
  return { events: rows.map(toStoredEvent), version: rows[0].stream_version, duplicate: rows[0].duplicate };
}

/** The SQLSTATEs append_events raises (class EV is ours), as the errors callers know. */
const APPEND_ERRORS = new Map<string, (e: DatabaseError, streamId: string, expected: ExpectedVersion) => Error>([
  ['EV001', (e, streamId, expected) => new ConcurrencyError(streamId, expected, Number(e.detail))],
  ['EV002', (e) => new IdempotencyConflictError(e.detail ?? '')],
  ['EV003', (e) => new Error(e.message)],
]);

function storeError(e: unknown, streamId: string, expected: ExpectedVersion): unknown {
  const known = e instanceof DatabaseError && e.code ? APPEND_ERRORS.get(e.code) : undefined;
  return known ? known(e as DatabaseError, streamId, expected) : e;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}
