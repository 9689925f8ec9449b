import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorker } from '../../src/worker/create-worker';
import { caseStateQuery, decideUpdate } from '../../src/workflows/identification-case';
import { EventStore } from '../../src/store/event-store';
import { verifyChain } from '../../src/store/verify-chain';
import { caseHarness, waitFor, type CaseHarness } from '../support/case-harness';
import { noBank } from '../support/bank';
import { devServerEnvironment, testPayloadKeys, testWorkflowBundle } from '../support/temporal';
import { goodVotes, submitInput, townOfficial, villageOfficial } from '../support/fixtures';

describe('identification case on the real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let h: CaseHarness;
  beforeAll(async () => {
    env = await devServerEnvironment();
    h = await caseHarness(env, { searchAttributes: true });
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('publishes stage and place as search attributes the Temporal UI can filter on', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    await handle.executeUpdate(decideUpdate, {
      args: [
        { type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: submit.householdHash, actor: villageOfficial },
      ],
    });
    const query = `WorkflowId = '${submit.caseId}' AND CaseStage = 'village_publicity' AND Village = '${submit.location.village}' AND Town = '${submit.location.town}'`;
    await waitFor(async () => {
      for await (const _ of env.client.workflow.list({ query })) return true;
      return false;
    });
    const described = await handle.describe();
    const ours = described.typedSearchAttributes.getAll().filter((p) => ['CaseStage', 'CaseStatus', 'County', 'Town', 'Village'].includes(p.key.name));
    // Codes and stages only: nothing personal goes into visibility.
    expect(Object.fromEntries(ours.map((p) => [p.key.name, p.value]))).toEqual({
      CaseStage: 'village_publicity',
      CaseStatus: 'open',
      County: submit.location.county,
      Town: submit.location.town,
      Village: submit.location.village,
    });
  });

  it('resumes a case where it was after its worker is stopped mid-case and another takes over', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    await handle.executeUpdate(decideUpdate, {
      args: [
        { type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: submit.householdHash, actor: villageOfficial },
      ],
    });

    // The worker goes away (a deploy, a crash); the case waits durably on the server.
    h.worker.shutdown();
    await h.running;
    const replacement = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: h.taskQueue,
      pool: h.db.pool,
      bank: noBank,
      payloadKeys: testPayloadKeys(),
      workflowBundlePath: testWorkflowBundle(),
    });
    const running = replacement.run();
    try {
      // The new worker replays the history and carries on from the publicity stage.
      expect((await handle.query(caseStateQuery))?.stage).toBe('village_publicity');
      const err = await handle
        .executeUpdate(decideUpdate, {
          args: [{ type: 'Decide', stage: 'town_audit', decision: 'approve', householdHash: submit.householdHash, actor: townOfficial }],
        })
        .catch((e) => e);
      expect(err.cause?.type).toBe('wrong_stage'); // still in publicity: the replayed state is the real one
      const events = await new EventStore(h.db.pool).readStream(submit.caseId);
      expect(events.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'StageEntered', 'StageDecided', 'StageEntered']);
      expect((await verifyChain(h.db.pool, submit.caseId)).ok).toBe(true);
    } finally {
      replacement.shutdown();
      await running;
      // Give the harness a running worker again for close().
      h.worker = await createWorker({
        connection: env.nativeConnection,
        namespace: 'default',
        taskQueue: h.taskQueue,
        pool: h.db.pool,
        bank: noBank,
        payloadKeys: testPayloadKeys(),
        workflowBundlePath: testWorkflowBundle(),
      });
      h.running = h.worker.run();
    }
  });
});
