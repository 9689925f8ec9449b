import type { Pool } from 'pg';

/** The bare baseline's one table: a row per step, as small as a step's record can be. */
export const BARE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_bare_rows (
  id bigserial PRIMARY KEY, workflow_id text NOT NULL, n int NOT NULL, at timestamptz NOT NULL DEFAULT now())`;

export function createBareActivities(pool: Pool) {
  return {
    async insertRow(workflowId: string, n: number): Promise<void> {
      await pool.query('INSERT INTO bench_bare_rows (workflow_id, n) VALUES ($1, $2)', [workflowId, n]);
    },
  };
}

export type BareActivities = ReturnType<typeof createBareActivities>;
