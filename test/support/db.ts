import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { requireEnv } from './env';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the real Postgres that scripts/test.mjs started. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = requireEnv('DATABASE_URL');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createPool(serverUrl, 1);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 20);
  await migrate(pool);
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
