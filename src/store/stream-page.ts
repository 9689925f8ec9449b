import type { Pool } from 'pg';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { withTransaction } from './transaction';
import type { StoredEvent } from './types';
import { verifySnapshot, type ChainReport } from './verify-chain';

export interface StreamPage {
  /** Up to `limit + 1` events from `fromVersion` on: one more than asked tells the caller that a next page exists. */
  events: StoredEvent[];
  /** The whole stream's chain, checked from its first event to its head, whatever page was asked for. */
  chain: ChainReport;
}

/**
 * A page of one stream's events and the verdict on its whole chain, read in one REPEATABLE
 * READ, READ ONLY snapshot: an append committing meanwhile can never make the page and the
 * verdict disagree (a page showing an event the check did not see, or the reverse).
 */
export async function readStreamPage(pool: Pool, streamId: string, fromVersion: number, limit: number): Promise<StreamPage> {
  return withTransaction(
    pool,
    async (tx) => {
      const rows = (
        await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`, [
          streamId,
          fromVersion,
          limit + 1,
        ])
      ).rows;
      const chain = await verifySnapshot(tx, { streamId });
      return { events: rows.map(toStoredEvent), chain };
    },
    { isolation: 'REPEATABLE READ', readOnly: true },
  );
}
