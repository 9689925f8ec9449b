import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { migrations } from '../../src/store/migrations';
import { requireEnv } from './env';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the real Postgres that scripts/test.mjs started; with `before`,
 * migrated only up to that migration (a test of the migration applies it later).
 */
export async function createTestDatabase({ before }: { before?: string } = {}): Promise<TestDatabase> {
  const serverUrl = requireEnv('DATABASE_URL');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createPool(serverUrl, 1);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 20);
  const upTo = before ? migrations.findIndex((m) => m.id === before) : migrations.length;
  if (upTo < 0) throw new Error(`no migration ${before}`);
  await migrate(pool, migrations.slice(0, upTo));
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
