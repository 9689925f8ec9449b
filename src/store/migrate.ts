import type { Pool } from 'pg';
import { migrations } from './migrations';
import { inTransaction } from './transaction';

/** Arbitrary constant: serialises concurrent migrators (API and worker starting together). */
const MIGRATION_LOCK = 727_001;

/**
 * Applies pending migrations, each in its own transaction. Returns the ids it applied. `list`
 * is every migration but for tests of one migration, which stop short of it first.
 */
export async function migrate(pool: Pool, list: ReadonlyArray<{ id: string; sql: string }> = migrations): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of list) {
      if (done.has(m.id)) continue;
      await inTransaction(client, async (tx) => {
        await tx.query(m.sql);
        await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      });
      applied.push(m.id);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
