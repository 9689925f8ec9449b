/**
 * Records the histories of issue #13's escalation in payouts and loans (patches
 * `approval-escalation` and `loan-overdue-escalation`) for test/workflows/replay.test.ts, on the
 * time-skipping server. Run by `npm run record-histories` with the others. Everything is synthetic.
 */
import { STREAM_ID } from '../../src/domain/streams';
import { decideDisbursementUpdate, disbursement, reassignApprovalUpdate, recordedUpdate } from '../../src/workflows/disbursement';
import { loanWorkflowId, recordRepaymentUpdate } from '../../src/workflows/loan-messages';
import { waitFor } from '../support/case-harness';
import { actor, COUNTY, townOfficial } from '../support/fixtures';
import { saveHistory } from '../support/histories';
import { householdPayoutRequest } from '../support/payout-request';
import { advanceTo, loanHandle, loanHarness, OFFICIALS, onePaidLoan, openPool, untilClosed, type LoanHarness } from '../support/loan-harness';

describe('record escalated payouts and loans into test/histories', () => {
  let h: LoanHarness;
  let fund: { fundId: string; account: string };
  beforeAll(async () => {
    h = await loanHarness();
    fund = await openPool(h, 1_000_000, 1_000_000);
  }, 120_000);
  afterAll(() => h?.close());

  it('revolvingLoan: reminded, late, escalated to the town and the county, then repaid', async () => {
    const loanId = await onePaidLoan(h, fund);
    await advanceTo(h, '2028-01-10');
    await waitFor(async () => (await h.store.readStream(STREAM_ID.loan(loanId))).filter((e) => e.type === 'RepaymentEscalated').length === 2);
    await loanHandle(h, loanId).executeUpdate(recordRepaymentUpdate, {
      args: [{ repaymentId: 'rep-late', amountFen: 55_000, method: 'cash', reference: 'R-late', receivedOn: '2028-01-10', actor: OFFICIALS.village }],
    });
    saveHistory(await h.env.client.workflow.getHandle(loanWorkflowId(loanId)).fetchHistory(), 'reminded-late-escalated-repaid');
  }, 240_000);

  it('disbursement: reminded, escalated to the county, reassigned, approved, paid', async () => {
    const request = householdPayoutRequest(fund, { amountFen: 150_000, approvals: ['town'], approvalPolicy: { timeLimit: 'P15D', escalateAfter: 'P3D' } });
    const wf = await h.env.client.workflow.start(disbursement, { taskQueue: h.taskQueue, workflowId: request.disbursementId, args: [{ request }] });
    await wf.executeUpdate(recordedUpdate);
    await h.env.sleep('20 days');
    await waitFor(async () => (await h.store.readStream(wf.workflowId)).some((e) => e.type === 'ApprovalEscalated'));
    const taskId = (
      await h.db.pool.query("SELECT task_id FROM tasks WHERE subject_id = $1 AND subject_kind = 'disbursement' AND status = 'open'", [wf.workflowId])
    ).rows[0].task_id as string;
    await wf.executeUpdate(reassignApprovalUpdate, {
      args: [{ type: 'ReassignTask', taskId, from: null, to: 'town-heping-2', reason: 'away', actor: actor('supervisor', 'supervisor', COUNTY) }],
    });
    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: { ...townOfficial, userId: 'town-heping-2' } }] });
    await untilClosed(h, wf.workflowId);
    saveHistory(await wf.fetchHistory(), 'escalated-reassigned-paid');
  }, 120_000);
});
