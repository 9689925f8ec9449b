import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/create-app';
import { loadConfig } from '../../src/config/config';
import { createPool } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { requireEnv } from '../support/env';
import { contractFetch } from '../support/response-contract';

/** /health against real dependencies, with one of them really unreachable. */
describe('GET /health when a dependency is down', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function healthWith(databaseUrl: string, temporalAddress: string) {
    const config = loadConfig({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress });
    const pool = createPool(databaseUrl, 1);
    const connection = Connection.lazy({ address: temporalAddress, connectTimeout: 500 });
    const app = await createApp({ config, pool, temporal: new Client({ connection }) }, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const res = await contractFetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/health`);
      return { status: res.status, body: await res.json() };
    } finally {
      await app.close();
      await pool.end();
      await connection.close().catch(() => undefined);
    }
  }

  it('is 503 with temporal.ok false when Temporal is unreachable', async () => {
    const r = await healthWith(db.url, '127.0.0.1:1');
    expect(r).toMatchObject({ status: 503, body: { status: 'unavailable', database: { ok: true }, temporal: { ok: false } } });
  });

  it('leaves no Temporal call running behind it once the app has closed', async () => {
    // The client retries an unreachable server with back-off; a call the probe abandoned would
    // fire its next retry into the closed channel ("Channel has been shut down") seconds later.
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', record);
    try {
      const started = Date.now();
      const r = await healthWith(db.url, '127.0.0.1:1');
      expect(r.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(20_000);
      await new Promise((done) => setTimeout(done, 6000)); // longer than the client's largest back-off (5 s)
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });

  it('is 503 with database.ok false when Postgres is unreachable', async () => {
    const r = await healthWith('postgres://nobody:x@127.0.0.1:1/none', requireEnv('TEMPORAL_ADDRESS'));
    expect(r).toMatchObject({ status: 503, body: { status: 'unavailable', database: { ok: false }, temporal: { ok: true } } });
  });
});

describe('config', () => {
  it('is validated once with a message naming each bad setting', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', PUBLICITY_PERIOD: '7 days' })).toThrow(
      /(?=[\s\S]*DATABASE_URL: a postgres:\/\/ connection URL)(?=[\s\S]*PORT: )(?=[\s\S]*PUBLICITY_PERIOD: an ISO 8601 duration)/,
    );
  });
});
