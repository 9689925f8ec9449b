import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createCaseActivities } from '../../src/activities/case-activities';
import { createIntakeActivities } from '../../src/activities/intake-activities';
import { caseIdFor, prepareApplication, startCase, type ApplicationSettings, type CaseStartSettings } from '../../src/cases/submit-application';
import { DEMO_JURISDICTIONS, DEMO_USERS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import { newToken } from '../../src/directory/tokens';
import { insertIntakeBatch, findIntakeBatch, settledIntakeRows } from '../../src/store/intake-batches';
import { engineDataConverter } from '../../src/temporal/data-converter';
import { createEventStore } from '../../src/store/create-event-store';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-bundle';
import { intakeBatch, intakeBatchWorkflowId, intakeProgressQuery } from '../../src/workflows/intake-batch';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { householdInput, ID_KEY, VILLAGE } from '../support/fixtures';
import { testPayloadKeys, testWorkflowBundle, timeSkippingEnvironment, uniqueQueue } from '../support/temporal';
import { waitFor } from '../support/case-harness';

const uploader = { userId: 'village-shiban', name: 'Shiban village committee', role: 'village_official' as const, jurisdiction: VILLAGE };

describe('intakeBatch on the time-skipping server (the real activities, on Postgres)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: Worker;
  let running: Promise<void>;
  let settings: ApplicationSettings & CaseStartSettings;
  /** The world outside failing: settling this line fails (as a lost database connection would) while `failing` is set. */
  const outage = { line: 0, failing: false, attempts: 0 };
  let settleCalls = 0;

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = await createTestDatabase();
    await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
    await upsertUsers(
      db.pool,
      DEMO_USERS.map((u) => ({ ...u, token: newToken() })),
    );
    const taskQueue = uniqueQueue('intake');
    settings = { idHashKey: ID_KEY, payloadKeys: testPayloadKeys(), publicityPeriod: 'P7D', stageTimeLimit: 'P15D', taskQueue, searchAttributes: false };
    const intake = createIntakeActivities(db.pool, settings);
    const bundle = testWorkflowBundle();
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      dataConverter: engineDataConverter(testPayloadKeys()),
      ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: WORKFLOWS_PATH }),
      activities: {
        ...createCaseActivities(createEventStore(db.pool)), // the rows' cases run here too
        ...intake,
        async settleIntakeRow(input: { batchId: string; line: number }) {
          settleCalls++;
          if (input.line === outage.line) {
            outage.attempts++;
            if (outage.failing) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
          }
          return intake.settleIntakeRow(input);
        },
      },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  it('settles every row, waits out an outage on one with retries over skipped time, and reports progress by query', async () => {
    // A household that already has a case (it applied on its own before the upload).
    const existing = householdInput();
    const before = await prepareApplication(db.pool, settings, uploader, { village: VILLAGE, household: existing }, caseIdFor(uploader.userId));
    if (!('submit' in before)) throw new Error('the first application was refused');
    await startCase(env.client, settings, before.submit);

    const batchId = `batch-${'1c'.repeat(16)}`;
    await insertIntakeBatch(db.pool, {
      batchId,
      userId: uploader.userId,
      village: VILLAGE,
      format: 'json',
      contentHash: 'f'.repeat(64),
      rows: [
        { line: 1, household: householdInput() },
        { line: 2, errors: [{ path: 'housingGrade', message: 'refused at upload' }] },
        { line: 3, household: existing },
        { line: 4, household: householdInput() },
      ],
    });
    Object.assign(outage, { line: 4, failing: true, attempts: 0 });
    const handle = await env.client.workflow.start(intakeBatch, {
      taskQueue: settings.taskQueue,
      workflowId: intakeBatchWorkflowId(batchId),
      args: [{ batchId, total: 4 }],
    });

    // Rows 1 and 3 settle; row 4 keeps failing and is retried.
    await waitFor(async () => (await handle.query(intakeProgressQuery)).processed === 3 && outage.attempts >= 2, 60_000);
    expect(await handle.query(intakeProgressQuery)).toEqual({ batchId, total: 4, processed: 3, done: false });
    expect((await findIntakeBatch(db.pool, batchId))?.status).toBe('processing');

    outage.failing = false;
    expect(await handle.result()).toEqual({ batchId, total: 4, processed: 4, done: true });
    const rows = await settledIntakeRows(db.pool, batchId);
    expect(rows.map((r) => [r.line, r.status])).toEqual([
      [1, 'accepted'],
      [2, 'rejected'],
      [3, 'rejected'],
      [4, 'accepted'],
    ]);
    expect(rows[1].errors).toEqual([{ path: 'housingGrade', message: 'refused at upload' }]);
    expect(rows[2].errors).toEqual([{ path: 'household', message: 'this household is already applying' }]);
    // Each accepted row's case is the one its key names, and is recorded.
    for (const r of [rows[0], rows[3]]) {
      expect(r.case_id).toBe(caseIdFor(uploader.userId, `intake:${batchId}:${r.line}`));
      expect((await db.pool.query('SELECT stage FROM cases WHERE case_id = $1', [r.case_id])).rows).toEqual([{ stage: 'village_evaluation' }]);
    }
    const batch = await findIntakeBatch(db.pool, batchId);
    expect(batch).toMatchObject({ status: 'done', finished_at: expect.any(Date) });
    // Pending rows held the input; settled ones keep none of it.
    expect((await db.pool.query('SELECT count(*)::int AS n FROM intake_rows WHERE batch_id = $1 AND household IS NOT NULL', [batchId])).rows[0].n).toBe(0);

    // Run again (as a second start would): nothing is pending, nothing is started twice.
    const casesBefore = (await db.pool.query('SELECT count(*)::int AS n FROM cases')).rows[0].n;
    const callsBefore = settleCalls;
    const again = await env.client.workflow.execute(intakeBatch, {
      taskQueue: settings.taskQueue,
      workflowId: `${intakeBatchWorkflowId(batchId)}-again`,
      args: [{ batchId, total: 4 }],
    });
    expect(again).toEqual({ batchId, total: 4, processed: 4, done: true });
    expect(settleCalls).toBe(callsBefore);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM cases')).rows[0].n).toBe(casesBefore);
  });
});
