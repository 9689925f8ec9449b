import type { Pool, PoolClient } from 'pg';

export interface TransactionOptions {
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
  readOnly?: boolean;
}

function begin({ isolation, readOnly }: TransactionOptions): string {
  const modes = [isolation && `ISOLATION LEVEL ${isolation}`, readOnly && 'READ ONLY'].filter(Boolean);
  return modes.length ? `BEGIN ${modes.join(', ')}` : 'BEGIN';
}

/**
 * Runs `fn` in one transaction on a client of its own: committed when `fn` resolves, rolled
 * back when it throws (the error goes on to the caller). The one place that writes BEGIN.
 */
export async function withTransaction<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, fn, options);
  } finally {
    client.release();
  }
}

/**
 * The same on a client the caller already holds: one that keeps a session-level advisory lock
 * across transactions (the migrator, the anchor writer).
 */
export async function inTransaction<T>(client: PoolClient, fn: (tx: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  await client.query(begin(options));
  try {
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    // A failed ROLLBACK (the connection is gone) must not hide why the transaction failed.
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
