import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createWorker } from '../../src/worker/create-worker';
import type { CaseState } from '../../src/domain/case';
import { caseStateQuery, identificationCase, submittedUpdate, type SubmitInput } from '../../src/workflows/identification-case';
import { noBank } from './bank';
import { createTestDatabase, type TestDatabase } from './db';
import { testPayloadKeys, testWorkflowBundle, uniqueQueue } from './temporal';

/** A migrated database, a worker on its own task queue, and a way to start cases. */
export interface CaseHarness {
  db: TestDatabase;
  /** Replaceable: a test may stop the worker and start another, as a deploy would. */
  worker: Worker;
  taskQueue: string;
  running: Promise<void>;
  start(submit: SubmitInput): Promise<ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>>;
  close(): Promise<void>;
}

export async function caseHarness(env: TestWorkflowEnvironment, { searchAttributes }: { searchAttributes: boolean }): Promise<CaseHarness> {
  const db = await createTestDatabase();
  const taskQueue = uniqueQueue('cases');
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    pool: db.pool,
    bank: noBank,
    payloadKeys: testPayloadKeys(),
    workflowBundlePath: testWorkflowBundle(),
  });
  const harness: CaseHarness = {
    db,
    worker,
    taskQueue,
    running: worker.run(),
    async start(submit) {
      const handle = await env.client.workflow.start(identificationCase, {
        taskQueue,
        workflowId: submit.caseId,
        args: [{ submit, searchAttributes }],
      });
      await handle.executeUpdate(submittedUpdate);
      return handle;
    },
    async close() {
      harness.worker.shutdown();
      await harness.running;
      await db.drop();
    },
  };
  return harness;
}

/** After a timer fires, its activity still has to record the step: poll until it has. */
export async function waitForStage(
  handle: { query: (q: typeof caseStateQuery) => Promise<CaseState | undefined> },
  stage: string,
  timeoutMs = 20_000,
): Promise<CaseState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(caseStateQuery);
    if (s?.stage === stage) return s;
    if (Date.now() > until) throw new Error(`case stayed at ${s?.stage}, expected ${stage}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
