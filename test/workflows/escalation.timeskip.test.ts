import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decideUpdate, reassignTaskUpdate } from '../../src/workflows/identification-case';
import { EventStore } from '../../src/store/event-store';
import { caseHarness, waitFor, waitForStage, type CaseHarness } from '../support/case-harness';
import { actor, goodVotes, submitInput, townOfficial, villageOfficial } from '../support/fixtures';
import { timeSkippingEnvironment } from '../support/temporal';

/**
 * Issue #13 on the time-skipping server: a decision past its limit (15 days) is reminded, then
 * escalated to the town after 3 more days and to the county after 3 more, each an event on the
 * case and a follow-up task at that level; a town step goes only to the county; the step taken
 * closes the follow-up. And a supervisor's reassignment is recorded on the case.
 */
describe('escalation of overdue steps on the time-skipping server', () => {
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

  const typesOf = async (caseId: string) => (await new EventStore(h.db.pool).readStream(caseId)).map((e) => e.type);
  const escalations = async (caseId: string) => (await typesOf(caseId)).filter((t) => t === 'ReminderSent' || t === 'StepEscalated');
  const followUp = async (caseId: string) =>
    (await h.db.pool.query("SELECT step, roles, jurisdiction FROM tasks WHERE subject_kind = 'escalation' AND subject_id = $1 AND status = 'open'", [caseId]))
      .rows;

  it('reminds at the limit, goes to the town 3 days later and to the county 3 days after that; the decision closes it', async () => {
    const submit = submitInput(villageOfficial);
    const handle = await h.start(submit);
    await env.sleep('14 days');
    expect(await escalations(submit.caseId)).toEqual([]);
    await env.sleep('2 days'); // day 16: past the 15-day limit
    await waitFor(async () => (await escalations(submit.caseId)).length === 1);
    expect(await escalations(submit.caseId)).toEqual(['ReminderSent']);
    expect(await followUp(submit.caseId)).toEqual([]);

    await env.sleep('1 day'); // day 17: not yet
    expect(await escalations(submit.caseId)).toEqual(['ReminderSent']);
    await env.sleep('2 days'); // day 19: past day 18
    await waitFor(async () => (await escalations(submit.caseId)).length === 2);
    expect(await followUp(submit.caseId)).toEqual([{ step: 'village_evaluation', roles: ['town_official'], jurisdiction: submit.location.town }]);
    const escalated = (await new EventStore(h.db.pool).readStream(submit.caseId)).find((e) => e.type === 'StepEscalated');
    expect(escalated?.data).toEqual({ stage: 'village_evaluation', level: 'town', jurisdiction: submit.location.town });

    await env.sleep('1 day'); // day 20: not yet
    expect(await escalations(submit.caseId)).toHaveLength(2);
    await env.sleep('2 days'); // day 22: past day 21
    await waitFor(async () => (await escalations(submit.caseId)).length === 3);
    expect(await followUp(submit.caseId)).toEqual([{ step: 'village_evaluation', roles: ['county_official'], jurisdiction: submit.location.county }]);
    // Nothing goes above the county.
    await env.sleep('30 days');
    expect(await escalations(submit.caseId)).toEqual(['ReminderSent', 'StepEscalated', 'StepEscalated']);

    const s = await handle.executeUpdate(decideUpdate, {
      args: [
        { type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: submit.householdHash, actor: villageOfficial },
      ],
    });
    expect(s.stage).toBe('village_publicity');
    expect(s.escalation).toBeUndefined();
    expect(await followUp(submit.caseId)).toEqual([]);
    const closed = await h.db.pool.query("SELECT count(*)::int AS n FROM tasks WHERE subject_kind = 'escalation' AND subject_id = $1 AND status = 'done'", [
      submit.caseId,
    ]);
    expect(closed.rows[0].n).toBe(2); // the town's, then the county's
  });

  it('sends a town step only to the county, and never reminds a step taken in time', async () => {
    const submit = submitInput(villageOfficial);
    const handle = await h.start(submit);
    await env.sleep('10 days');
    await handle.executeUpdate(decideUpdate, {
      args: [
        { type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes: goodVotes, householdHash: submit.householdHash, actor: villageOfficial },
      ],
    });
    await env.sleep('7 days');
    await waitForStage(handle, 'town_audit');
    expect(await escalations(submit.caseId)).toEqual([]);
    await env.sleep('16 days');
    await waitFor(async () => (await escalations(submit.caseId)).length === 1);
    await env.sleep('4 days');
    await waitFor(async () => (await escalations(submit.caseId)).length === 2);
    expect(await followUp(submit.caseId)).toEqual([{ step: 'town_audit', roles: ['county_official'], jurisdiction: submit.location.county }]);
    await env.sleep('20 days');
    expect(await escalations(submit.caseId)).toHaveLength(2);
    await handle.executeUpdate(decideUpdate, {
      args: [{ type: 'Decide', stage: 'town_audit', decision: 'approve', householdHash: submit.householdHash, actor: townOfficial }],
    });
    expect(await followUp(submit.caseId)).toEqual([]);
  });

  it('records a supervisor reassigning the open task on the case, and refuses anyone else', async () => {
    const submit = submitInput(villageOfficial);
    const handle = await h.start(submit);
    const taskId = (await h.db.pool.query("SELECT task_id FROM tasks WHERE subject_id = $1 AND status = 'open'", [submit.caseId])).rows[0].task_id as string;
    const supervisor = actor('supervisor', 'supervisor', submit.location.county);
    const reassign = { type: 'ReassignTask' as const, taskId, from: null, to: 'village-shiban-2', reason: '原经办人外出 / away', actor: supervisor };
    await handle.executeUpdate(reassignTaskUpdate, { args: [reassign] });
    const row = (await h.db.pool.query('SELECT holder FROM tasks WHERE task_id = $1', [taskId])).rows[0];
    expect(row.holder).toBe('village-shiban-2');
    expect((await h.db.pool.query('SELECT holder FROM cases WHERE case_id = $1', [submit.caseId])).rows[0].holder).toBe('village-shiban-2');
    const recorded = (await new EventStore(h.db.pool).readStream(submit.caseId)).find((e) => e.type === 'TaskReassigned');
    expect(recorded?.data).toEqual({ taskId, from: null, to: 'village-shiban-2', reason: '原经办人外出 / away', by: 'supervisor' });
    expect(recorded?.metadata.actor).toBe('supervisor');

    const byOfficial = await handle.executeUpdate(reassignTaskUpdate, { args: [{ ...reassign, actor: villageOfficial, to: 'x' }] }).catch((e: unknown) => e);
    expect(byOfficial).toBeInstanceOf(WorkflowUpdateFailedError);
    const same = await handle.executeUpdate(reassignTaskUpdate, { args: [{ ...reassign, from: 'village-shiban-2' }] }).catch((e: unknown) => e);
    expect(same).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await typesOf(submit.caseId)).filter((t) => t === 'TaskReassigned')).toHaveLength(1);
  });
});
