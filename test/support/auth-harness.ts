import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/create-app';
import { loadConfig } from '../../src/config/config';
import { DEMO_JURISDICTIONS, DEMO_USERS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import { newToken } from '../../src/directory/tokens';
import { createTestDatabase, type TestDatabase } from './db';
import { requireEnv } from './env';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface AuthHarness {
  db: TestDatabase;
  app: NestExpressApplication;
  /** API tokens of the demo users, by user id (empty without the demo directory). */
  tokens: Record<string, string>;
  /** Moves the API's clock (log-in, lock-out, session expiry) forward. */
  advance(ms: number): void;
  now(): Date;
  /** `as`: a demo user id (their API token) or a token itself. */
  call(method: string, path: string, opts?: { as?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<Reply>;
  login(username: string, password: string): Promise<Reply>;
  /** Stops the app and keeps the database (to start another app on it). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The HTTP API on a fresh real Postgres, without a worker (log-in and administration never reach
 * Temporal), with a clock the test moves. With `demo`, the demo jurisdictions and users with API
 * tokens; `db` starts it on an existing database instead of a new one.
 */
export async function authHarness(opts: { env?: Record<string, string>; demo?: boolean; db?: TestDatabase } = {}): Promise<AuthHarness> {
  const db = opts.db ?? (await createTestDatabase());
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, ...opts.env });
  const tokens: Record<string, string> = {};
  if (opts.demo !== false && !opts.db) {
    await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
    await upsertUsers(
      db.pool,
      DEMO_USERS.map((u) => {
        tokens[u.userId] = newToken();
        return { ...u, token: tokens[u.userId] };
      }),
    );
  }
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const connection = Connection.lazy({ address: requireEnv('TEMPORAL_ADDRESS') });
  const app = await createApp({ config, pool: db.pool, temporal: new Client({ connection }), clock }, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (e) {
    // A start that fails (the first administrator's bootstrap, say) must not leave the app's timers and connections behind.
    await app.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    throw e;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const call: AuthHarness['call'] = async (method, path, { as, body, raw, headers = {} } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(as ? { authorization: `Bearer ${tokens[as] ?? as}` } : {}),
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await connection.close().catch(() => undefined);
  };
  return {
    db,
    app,
    tokens,
    advance: (ms) => {
      offset += ms;
    },
    now: clock,
    call,
    login: (username, password) => call('POST', '/auth/login', { body: { username, password } }),
    stop,
    async close() {
      await stop();
      await db.drop();
    },
  };
}

/** The events of a user's stream, oldest first. */
export async function userEvents(db: TestDatabase, userId: string): Promise<{ type: string; data: any }[]> {
  return (await db.pool.query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version', [`user-${userId}`])).rows;
}
