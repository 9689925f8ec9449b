import { Pool, types } from 'pg';

// bigint (int8) columns stay strings: global positions may exceed 2^53. Money columns are
// declared bigint too and converted explicitly where read.
types.setTypeParser(types.builtins.INT8, (v) => v);

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** What a query function runs on: the pool, or a client inside a transaction (withTransaction). */
export type Queryable = Pick<Pool, 'query'>;

/** Whether the database answers a trivial statement; the statement gives up after `timeoutMs`. */
export async function pingDatabase(pool: Pool, timeoutMs: number): Promise<void> {
  await pool.query({ text: 'SELECT 1', query_timeout: timeoutMs } as never);
}
