import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../src/api/create-app';
import { loadConfig } from '../../src/config/config';
import { DEMO_JURISDICTIONS, DEMO_USERS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import { newToken } from '../../src/directory/tokens';
import { createWorker } from '../../src/worker/create-worker';
import { testBank, type TestBank } from './bank';
import { createTestDatabase, type TestDatabase } from './db';
import { devServerEnvironment, testWorkflowBundle, uniqueQueue } from './temporal';
import { httpCaller, type Call } from './http-call';

export interface ApiHarness {
  db: TestDatabase;
  env: TestWorkflowEnvironment;
  bank: TestBank;
  app: NestExpressApplication;
  taskQueue: string;
  baseUrl: string;
  /** Bearer tokens of the demo users, by user id. */
  tokens: Record<string, string>;
  call: Call;
  /** Stops the worker (as a crash or deploy would) until startWorker(): workflows then make no progress. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Runs one teardown step, and names it if it was slow: a hung teardown is otherwise a bare jest hook timeout. */
async function timed(what: string, step: () => Promise<unknown>): Promise<void> {
  const t0 = Date.now();
  await step();
  const secs = (Date.now() - t0) / 1000;
  if (secs > 15) console.warn(`[harness] closing ${what} took ${secs.toFixed(1)} s`);
}

/** The whole service in-process: real Postgres, the real Temporal dev server, a worker and the HTTP API. */
export async function apiHarness(extraEnv: Record<string, string> = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const taskQueue = uniqueQueue('api');
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, TASK_QUEUE: taskQueue, ...extraEnv });
  const env = await devServerEnvironment(config.payloadKeys);
  await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
  const tokens: Record<string, string> = {};
  await upsertUsers(
    db.pool,
    DEMO_USERS.map((u) => {
      tokens[u.userId] = newToken();
      return { ...u, token: tokens[u.userId] };
    }),
  );
  const bank = await testBank();
  const newWorker = () =>
    createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      pool: db.pool,
      bank: bank.gateway,
      payloadKeys: config.payloadKeys,
      applications: config,
      workflowBundlePath: testWorkflowBundle(),
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
    });
  let worker: Worker | undefined = await newWorker();
  let running = worker.run();
  const app: NestExpressApplication = await createApp({ config, pool: db.pool, temporal: env.client }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    db,
    env,
    bank,
    app,
    taskQueue,
    baseUrl,
    tokens,
    call: httpCaller(baseUrl, tokens),
    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
    },
    async startWorker() {
      if (worker) return;
      worker = await newWorker();
      running = worker.run();
    },
    async close() {
      await timed('the API', () => app.close());
      worker?.shutdown();
      // A worker that does not drain within its shutdownForceTime gives up with an error: the
      // suite's own tests are over, so that is reported, not thrown.
      await timed('the worker', () => running.catch((e: Error) => console.warn(`[harness] the worker did not drain: ${e.message}`)));
      await timed('the Temporal connection', () => env.teardown());
      await timed('the bank', () => bank.close());
      await timed('the database', () => db.drop());
    },
  };
}
