import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApprovalPolicy } from '../../src/domain/funds/approval-escalation';
import type { ApprovalLevel } from '../../src/domain/funds/approval-policy';
import { decideDisbursementUpdate, disbursement, reassignApprovalUpdate, recordedUpdate } from '../../src/workflows/disbursement';
import { waitFor } from '../support/case-harness';
import { actor, COUNTY, countyOfficial, townOfficial, TOWN, VILLAGE } from '../support/fixtures';
import { loanHarness, openPool, type LoanHarness } from '../support/loan-harness';
import { householdPayoutRequest } from '../support/payout-request';

const POLICY: ApprovalPolicy = { timeLimit: 'P15D', escalateAfter: 'P3D' };

/**
 * Issue #13 for payouts, on the time-skipping server with the real worker and Postgres: an
 * approval step past its limit (15 days) is reminded; a town step goes to the county 3 days
 * later as a follow-up task there; a county step has no level above it. The approval closes the
 * follow-up and the payout is paid. A supervisor's reassignment is recorded on the payout.
 */
describe('escalation of overdue payout approvals on the time-skipping server', () => {
  let h: LoanHarness;
  let fund: { fundId: string; account: string };
  beforeAll(async () => {
    h = await loanHarness();
    fund = await openPool(h, 10_000_000, 10_000_000);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function request(amountFen: number, approvals: ApprovalLevel[], policy?: ApprovalPolicy) {
    const req = householdPayoutRequest(fund, { amountFen, approvals, approvalPolicy: policy });
    const wf = await h.env.client.workflow.start(disbursement, { taskQueue: h.taskQueue, workflowId: req.disbursementId, args: [{ request: req }] });
    await wf.executeUpdate(recordedUpdate);
    return wf;
  }
  const escalations = async (id: string) =>
    (await h.store.readStream(id)).filter((e) => e.type === 'ApprovalReminderSent' || e.type === 'ApprovalEscalated').map((e) => e.type);
  const openTasks = async (id: string) =>
    (
      await h.db.pool.query('SELECT subject_kind, step, roles, jurisdiction, holder FROM tasks WHERE subject_id = $1 AND status = $2 ORDER BY subject_kind', [
        id,
        'open',
      ])
    ).rows;
  const statusOf = async (id: string) => (await h.db.pool.query('SELECT status FROM disbursements WHERE disbursement_id = $1', [id])).rows[0]?.status;

  it('reminds a town step at its limit and sends it to the county 3 days later; the approval closes the follow-up and the payout is paid', async () => {
    const wf = await request(150_000, ['town'], POLICY);
    const id = wf.workflowId;
    const due = await h.db.pool.query("SELECT due_at, created_at FROM tasks WHERE subject_id = $1 AND subject_kind = 'disbursement'", [id]);
    expect(due.rows[0].due_at.getTime() - due.rows[0].created_at.getTime()).toBe(15 * 86_400_000);
    await h.env.sleep('14 days');
    expect(await escalations(id)).toEqual([]);
    await h.env.sleep('2 days'); // day 16: past the limit
    await waitFor(async () => (await escalations(id)).length === 1);
    const reminder = (await h.store.readStream(id)).find((e) => e.type === 'ApprovalReminderSent');
    expect(reminder?.data).toMatchObject({ level: 'town', round: 0 });
    expect(reminder?.metadata.actor).toBe('system:escalation-timer');
    expect((await openTasks(id)).map((t) => t.subject_kind)).toEqual(['disbursement']);

    await h.env.sleep('1 day'); // day 17: not yet
    expect(await escalations(id)).toHaveLength(1);
    await h.env.sleep('2 days'); // day 19: past day 18
    await waitFor(async () => (await escalations(id)).length === 2);
    expect(await openTasks(id)).toEqual([
      { subject_kind: 'disbursement', step: 'disbursement_approval_town', roles: ['town_official'], jurisdiction: VILLAGE, holder: null },
      { subject_kind: 'escalation', step: 'disbursement_approval_town', roles: ['county_official'], jurisdiction: COUNTY, holder: null },
    ]);
    await h.env.sleep('30 days'); // nothing above the county
    expect(await escalations(id)).toEqual(['ApprovalReminderSent', 'ApprovalEscalated']);

    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: townOfficial }] });
    await waitFor(async () => (await statusOf(id)) === 'paid');
    expect(await openTasks(id)).toEqual([]);
  });

  it('reminds a county step only, counting its limit from the town approval before it', async () => {
    const wf = await request(500_000, ['town', 'county'], POLICY);
    const id = wf.workflowId;
    await h.env.sleep('10 days');
    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: townOfficial }] });
    await h.env.sleep('14 days'); // day 24: the county step is 14 days old
    expect(await escalations(id)).toEqual([]);
    await h.env.sleep('2 days'); // day 26
    await waitFor(async () => (await escalations(id)).length === 1);
    expect((await h.store.readStream(id)).find((e) => e.type === 'ApprovalReminderSent')?.data).toMatchObject({ level: 'county', round: 1 });
    await h.env.sleep('30 days');
    expect(await escalations(id)).toEqual(['ApprovalReminderSent']);
    expect((await openTasks(id)).map((t) => t.subject_kind)).toEqual(['disbursement']);
    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: countyOfficial }] });
    await waitFor(async () => (await statusOf(id)) === 'paid');
  });

  it('never escalates a payout requested without limits (before issue #13)', async () => {
    const wf = await request(150_000, ['town']);
    await h.env.sleep('60 days');
    expect(await escalations(wf.workflowId)).toEqual([]);
    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: townOfficial }] });
    await waitFor(async () => (await statusOf(wf.workflowId)) === 'paid');
  });

  it("records a supervisor reassigning the approval task on the payout, and refuses anyone else's", async () => {
    const wf = await request(150_000, ['town'], POLICY);
    const id = wf.workflowId;
    const taskId = (await h.db.pool.query("SELECT task_id FROM tasks WHERE subject_id = $1 AND status = 'open'", [id])).rows[0].task_id as string;
    const supervisor = actor('supervisor', 'supervisor', COUNTY);
    const reassign = { type: 'ReassignTask' as const, taskId, from: null, to: 'town-heping-2', reason: '原审批人休假 / on leave', actor: supervisor };
    await wf.executeUpdate(reassignApprovalUpdate, { args: [reassign] });
    expect((await openTasks(id))[0].holder).toBe('town-heping-2');
    const recorded = (await h.store.readStream(id)).find((e) => e.type === 'ApprovalTaskReassigned');
    expect(recorded?.data).toEqual({ taskId, from: null, to: 'town-heping-2', reason: '原审批人休假 / on leave', by: 'supervisor' });

    const byOfficial = await wf
      .executeUpdate(reassignApprovalUpdate, { args: [{ ...reassign, actor: actor('u-town', 'town_official', TOWN) }] })
      .catch((e: unknown) => e);
    expect(byOfficial).toBeInstanceOf(WorkflowUpdateFailedError);
    const same = await wf.executeUpdate(reassignApprovalUpdate, { args: [{ ...reassign, from: 'town-heping-2' }] }).catch((e: unknown) => e);
    expect(same).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await h.store.readStream(id)).filter((e) => e.type === 'ApprovalTaskReassigned')).toHaveLength(1);
    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: townOfficial }] });
    await waitFor(async () => (await statusOf(id)) === 'paid');
    // Once paid, there is nothing to reassign.
    await expect(wf.executeUpdate(reassignApprovalUpdate, { args: [{ ...reassign, to: 'x' }] })).rejects.toThrow();
  });
});
