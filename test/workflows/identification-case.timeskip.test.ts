import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { caseStateQuery, decideUpdate, lodgeObjectionUpdate, resolveObjectionUpdate } from '../../src/workflows/identification-case';
import { EventStore } from '../../src/store/event-store';
import { verifyChain } from '../../src/store/verify-chain';
import { caseHarness, waitFor, waitForStage, type CaseHarness } from '../support/case-harness';
import { timeSkippingEnvironment } from '../support/temporal';
import { countyOfficial, goodVotes, submitInput, townOfficial, villageOfficial } from '../support/fixtures';

describe('identification case on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let h: CaseHarness;
  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    h = await caseHarness(env, { searchAttributes: false });
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('walks the happy path through both 7-day publicity periods to enrolment', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    const hash = submit.householdHash;
    let s = await handle.executeUpdate(decideUpdate, {
      args: [{ type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: hash, actor: villageOfficial }],
    });
    expect(s.stage).toBe('village_publicity');
    // Seven days pass on the server's clock; the timer moves the case on.
    await env.sleep('7 days');
    await waitForStage(handle, 'town_audit');
    s = await handle.executeUpdate(decideUpdate, {
      args: [{ type: 'Decide', stage: 'town_audit', decision: 'approve', householdHash: hash, actor: townOfficial }],
    });
    expect(s.stage).toBe('town_publicity');
    await env.sleep('7 days');
    await waitForStage(handle, 'county_approval');
    s = await handle.executeUpdate(decideUpdate, {
      args: [{ type: 'Decide', stage: 'county_approval', decision: 'approve', householdHash: hash, actor: countyOfficial }],
    });
    expect(s).toMatchObject({ status: 'enrolled', stage: 'enrolled' });
    const final = await handle.result();
    expect(final.status).toBe('enrolled');

    const events = await new EventStore(h.db.pool).readStream(submit.caseId);
    expect(events.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'StageEntered',
      'StageDecided',
      'StageEntered',
      'PublicityEnded',
      'StageEntered',
      'StageDecided',
      'StageEntered',
      'PublicityEnded',
      'StageEntered',
      'StageDecided',
      'CaseAnnounced',
      'HouseholdEnrolled',
    ]);
    // The publicity period really lasted seven days of workflow time.
    const entered = events.filter((e) => e.type === 'StageEntered').map((e) => e.data as { stage: string; enteredAt: string });
    const pub = entered.find((e) => e.stage === 'village_publicity')!;
    const audit = entered.find((e) => e.stage === 'town_audit')!;
    expect(Date.parse(audit.enteredAt) - Date.parse(pub.enteredAt)).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
    expect(await verifyChain(h.db.pool, submit.caseId)).toMatchObject({ ok: true, events: 13 });
    const row = (await h.db.pool.query('SELECT stage, status, version FROM cases WHERE case_id = $1', [submit.caseId])).rows[0];
    expect(row).toEqual({ stage: 'enrolled', status: 'enrolled', version: 13 });
  });

  it('holds the case at the end of publicity until an objection is resolved, then proceeds', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    await handle.executeUpdate(decideUpdate, {
      args: [
        { type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: submit.householdHash, actor: villageOfficial },
      ],
    });
    await handle.executeUpdate(lodgeObjectionUpdate, {
      args: [{ type: 'LodgeObjection', objectionId: 'obj-1', grounds: 'they own a car', actor: townOfficial }],
    });
    await env.sleep('8 days');
    await waitFor(async () => (await handle.query(caseStateQuery))?.publicityEnded === true);
    expect(await handle.query(caseStateQuery)).toMatchObject({ stage: 'village_publicity', publicityEnded: true });
    const s = await handle.executeUpdate(resolveObjectionUpdate, {
      args: [{ type: 'ResolveObjection', objectionId: 'obj-1', substantiated: false, finding: 'the car belongs to a cousin', actor: villageOfficial }],
    });
    expect(s.stage).toBe('town_audit');
  });

  it('sends the case back to village evaluation on a substantiated objection', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    await handle.executeUpdate(decideUpdate, {
      args: [
        { type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: submit.householdHash, actor: villageOfficial },
      ],
    });
    await handle.executeUpdate(lodgeObjectionUpdate, {
      args: [{ type: 'LodgeObjection', objectionId: 'obj-2', grounds: 'income understated', actor: townOfficial }],
    });
    const s = await handle.executeUpdate(resolveObjectionUpdate, {
      args: [{ type: 'ResolveObjection', objectionId: 'obj-2', substantiated: true, finding: 'wages from the city not declared', actor: villageOfficial }],
    });
    expect(s).toMatchObject({ stage: 'village_evaluation', status: 'open' });
  });

  it('refuses an objection outside a publicity period without touching history', async () => {
    const submit = submitInput();
    const handle = await h.start(submit);
    const err = await handle
      .executeUpdate(lodgeObjectionUpdate, { args: [{ type: 'LodgeObjection', objectionId: 'obj-3', grounds: 'x', actor: townOfficial }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause).toMatchObject({ type: 'not_in_publicity' });
    expect((await new EventStore(h.db.pool).readStream(submit.caseId)).length).toBe(2);
  });
});
