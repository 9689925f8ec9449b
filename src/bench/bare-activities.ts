import type { Pool } from 'pg';

export interface BareActivities {
  insertOne(id: string): Promise<void>;
}

/** One row into a table of the benchmark's own (created here), nothing else. */
export async function createBareActivities(pool: Pool): Promise<BareActivities> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_bare_rows (id text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
  return {
    async insertOne(id) {
      await pool.query('INSERT INTO bench_bare_rows (id) VALUES ($1)', [id]);
    },
  };
}
