import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCaseActivities } from '../../src/activities/case-activities';
import { decide, type CaseCommand, type CaseState } from '../../src/domain/case';
import { IdempotencyConflictError } from '../../src/store/errors';
import { EventStore } from '../../src/store/event-store';
import { verifyChain } from '../../src/store/verify-chain';
import { caseStateQuery, decideUpdate, lodgeObjectionUpdate } from '../../src/workflows/identification-case';
import { caseHarness, type CaseHarness } from '../support/case-harness';
import { applicant, goodVotes, submitInput, villageOfficial } from '../support/fixtures';
import { devServerEnvironment } from '../support/temporal';

/**
 * A case's step is recorded by a local activity, which enters the workflow's history only when
 * the workflow task that ran it completes. A worker killed between the append and that moment
 * leaves the step stored but unknown to the workflow: the task runs again on another worker, at
 * a later time, and decides the same step again with that time. Here the lost attempt's append
 * is made as its activity made it, an hour earlier, and the decision is then sent as the retried
 * task receives it: the case must end with one set of events, the first, and a workflow that
 * agrees with the store.
 */
describe('a case step whose workflow task was lost after its events were stored', () => {
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

  const approve = (householdHash: string) =>
    ({ type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash, actor: villageOfficial }) as const;

  /** What the killed worker's local activity stored before the worker died. */
  async function storedByLostAttempt(caseId: string, state: CaseState, command: CaseCommand) {
    const events = decide(command, state);
    await createCaseActivities(new EventStore(h.db.pool)).recordCaseStep({
      caseId,
      expectedVersion: state.version,
      events,
      actor: villageOfficial.userId,
      cause: caseId,
    });
    return events;
  }

  it('records the decision once, keeps the first recording, and goes on from there', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    const before = (await handle.query(caseStateQuery)) as CaseState;
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const lost = await storedByLostAttempt(submit.caseId, before, { ...approve(submit.householdHash), at: anHourAgo });

    const after = await handle.executeUpdate(decideUpdate, { args: [approve(submit.householdHash)] });
    expect(after.stage).toBe('village_publicity');
    expect(after.version).toBe(before.version + lost.length);
    // The publicity runs from the first recording, as every reader of the store already saw it.
    const entered = lost.find((e) => e.type === 'StageEntered');
    expect(entered?.type === 'StageEntered' && entered.data.dueAt).toBe(after.stageDueAt);

    // The workflow and the store agree on the version: the next step appends after it.
    await handle.executeUpdate(lodgeObjectionUpdate, {
      args: [{ type: 'LodgeObjection', objectionId: 'obj-lost-task', grounds: 'income not declared', actor: applicant }],
    });
    const events = await new EventStore(h.db.pool).readStream(submit.caseId);
    expect(events.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'StageEntered', 'StageDecided', 'StageEntered', 'ObjectionLodged']);
    expect(events[3].data).toEqual(entered?.data);
    expect((await verifyChain(h.db.pool, submit.caseId)).ok).toBe(true);
  });

  it('still refuses a different step stored at the same place (a real conflict, not a lost attempt)', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    const before = (await handle.query(caseStateQuery)) as CaseState;
    const activities = createCaseActivities(new EventStore(h.db.pool));
    const at = new Date().toISOString();
    const votesAgainst = { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 };
    const rejected = decide({ ...approve(submit.householdHash), decision: 'reject', reason: 'above the line', votes: votesAgainst, at }, before);
    await activities.recordCaseStep({
      caseId: submit.caseId,
      expectedVersion: before.version,
      events: rejected,
      actor: villageOfficial.userId,
      cause: submit.caseId,
    });
    const approved = decide({ ...approve(submit.householdHash), at }, before);
    await expect(
      activities.recordCaseStep({
        caseId: submit.caseId,
        expectedVersion: before.version,
        events: approved,
        actor: villageOfficial.userId,
        cause: submit.caseId,
      }),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    await handle.terminate('test over');
  });
});
