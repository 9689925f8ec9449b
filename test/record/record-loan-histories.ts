/**
 * Records the loan workflows' histories (test/histories/loanBatch, test/histories/revolvingLoan)
 * for test/workflows/replay.test.ts. Run by `npm run record-histories` with the others; on the
 * time-skipping server, since a loan lives for years (its reminders and its end are timers
 * months away). Everything in them is synthetic: random household ids, accounts starting 9999.
 */
import { randomUUID } from 'node:crypto';
import { sealAccount } from '../../src/crypto/sealed-field';
import { decideDisbursementUpdate, disbursement, disbursementStateQuery, recordedUpdate } from '../../src/workflows/disbursement';
import { loanIdsOf } from '../../src/workflows/loan-batch';
import {
  confirmInKindUpdate,
  decideHardshipUpdate,
  loanBatchWorkflowId,
  loanWorkflowId,
  raiseBatchObjectionUpdate,
  recordRepaymentUpdate,
  reportHardshipUpdate,
  resolveBatchObjectionUpdate,
  reverseRepaymentUpdate,
  valueInKindUpdate,
} from '../../src/workflows/loan-messages';
import { revolvingLoan } from '../../src/workflows/revolving-loan';
import { waitFor } from '../support/case-harness';
import { saveHistory } from '../support/histories';
import {
  advanceTo,
  approvePayouts,
  createScheme,
  enrolledHouseholds,
  loanHandle,
  loanHarness,
  OFFICIALS,
  openPool,
  proposeBatch,
  SEED_TERMS,
  signAll,
  startBatch,
  untilBatchStatus,
  untilClosed,
  type LoanHarness,
} from '../support/loan-harness';
import { testPayloadKeys } from '../support/temporal';

describe('record loan workflow histories into test/histories', () => {
  let h: LoanHarness;
  beforeAll(async () => {
    h = await loanHarness();
  }, 180_000);
  afterAll(() => h?.close());

  /** Writes the history of the workflow's run (`runId`, else the latest). */
  async function record(workflowId: string, scenario: string, runId?: string): Promise<void> {
    const history = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    saveHistory(history, scenario);
  }

  it('loanBatch and revolvingLoan: a batch with objections, an unsigned household, a refused payout; loans repaid, written off, deferred', async () => {
    await advanceTo(h, '2027-03-01', 9);
    const fund = await openPool(h, 300_000, 360_000);
    const schemeId = await createScheme(h, fund.fundId);
    const hh = await enrolledHouseholds(h, 5);
    h.bank.refusing.add(hh[3].account);
    const batchId = await proposeBatch(h, schemeId, fund.fundId, hh);
    const wf = await startBatch(h, { batchId, schemeId, fund, cycle: 1, households: hh });
    await untilBatchStatus(h, batchId, 'publicity');
    await wf.executeUpdate(raiseBatchObjectionUpdate, {
      args: [{ objectionId: 'obj-1', householdId: hh[4].householdId, reason: 'synthetic objection', actor: OFFICIALS.village }],
    });
    await wf.executeUpdate(resolveBatchObjectionUpdate, {
      args: [{ objectionId: 'obj-1', substantiated: true, finding: 'synthetic finding', actor: OFFICIALS.town }],
    });
    await advanceTo(h, '2027-03-09');
    await untilBatchStatus(h, batchId, 'signing');
    await signAll(
      h,
      batchId,
      [hh[0], hh[1], hh[3]].map((x) => x.householdId),
    ); // hh[2] never signs
    await advanceTo(h, '2027-03-25');
    await untilBatchStatus(h, batchId, 'paying');
    await approvePayouts(h, batchId, 3);
    await untilClosed(h, wf.workflowId);
    await record(loanBatchWorkflowId(batchId), 'objection-unsigned-refused-paid');

    const [repaid, writtenOff] = [1, 2].map((n) => loanHandle(h, loanIdsOf(batchId, n).loanId));
    await advanceTo(h, '2027-12-18');
    const repay = (repaymentId: string, amountFen: number) =>
      repaid.executeUpdate(recordRepaymentUpdate, {
        args: [{ repaymentId, amountFen, method: 'cash', reference: `R-${repaymentId}`, receivedOn: '2027-12-18', actor: OFFICIALS.village }],
      });
    await repay('rep-1', 50_000);
    await repay('rep-mistake', 1_000);
    await repaid.executeUpdate(reverseRepaymentUpdate, { args: [{ repaymentId: 'rep-mistake', reason: 'synthetic mistake', actor: OFFICIALS.town }] });
    await repaid.executeUpdate(valueInKindUpdate, {
      args: [{ valuationId: 'val-1', amountFen: 40_000, description: 'synthetic calf', receivedOn: '2027-12-18', actor: OFFICIALS.village }],
    });
    await repaid.executeUpdate(confirmInKindUpdate, { args: [{ valuationId: 'val-1', repaymentId: 'rep-calf', actor: OFFICIALS.village2 }] });
    await repay('rep-2', 20_000);

    await writtenOff.executeUpdate(reportHardshipUpdate, {
      args: [{ hardshipId: 'hs-1', cause: 'animal_died', evidenceHash: 'c'.repeat(64), proposal: 'write_off', note: 'synthetic', actor: OFFICIALS.village }],
    });
    for (const actor of [OFFICIALS.county, OFFICIALS.county2])
      await writtenOff.executeUpdate(decideHardshipUpdate, { args: [{ hardshipId: 'hs-1', approve: true, reason: 'synthetic', actor }] });

    await advanceTo(h, '2028-04-01'); // both linger 90 days after closing, then end
    await untilClosed(h, repaid.workflowId);
    await untilClosed(h, writtenOff.workflowId);
    await record(repaid.workflowId, 'reminded-repaid-in-kind-reversal');
    await record(writtenOff.workflowId, 'written-off');
  }, 600_000);

  it('revolvingLoan: a deferral, then continue-as-new (a low history limit) keeping the processed Update ids', async () => {
    const fund = await openPool(h, 110_000, 10_000);
    const [hh] = await enrolledHouseholds(h, 1);
    const disbursementId = `disb-${randomUUID()}`;
    const d = await h.env.client.workflow.start(disbursement, {
      taskQueue: h.taskQueue,
      workflowId: disbursementId,
      args: [
        {
          request: {
            disbursementId,
            fundId: fund.fundId,
            fundAccount: fund.account,
            payee: { type: 'household', householdId: hh.householdId, location: hh.location, account: sealAccount(testPayloadKeys(), hh.account) },
            purpose: 'loan_principal',
            amountFen: SEED_TERMS.amountFen,
            requiredApprovals: ['town'],
            requestedBy: OFFICIALS.county.userId,
          },
        },
      ],
    });
    await d.executeUpdate(recordedUpdate);
    await d.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: OFFICIALS.town }] });
    await waitFor(async () => (await d.query(disbursementStateQuery))?.status === 'paid');
    const loanId = `loan-${randomUUID()}`;
    const today = new Date(await h.env.currentTimeMs()).toISOString().slice(0, 10);
    const loan = await h.env.client.workflow.start(revolvingLoan, {
      taskQueue: h.taskQueue,
      workflowId: loanWorkflowId(loanId),
      args: [
        {
          loanId,
          schemeId: 'scheme-synthetic',
          batchId: 'batch-synthetic',
          fundId: fund.fundId,
          household: { householdId: hh.householdId, location: hh.location },
          terms: SEED_TERMS,
          termsVersion: 1,
          disbursementId,
          paidOn: today,
          reminderDays: 14,
          historyLimit: 40,
        },
      ],
    });
    await loan.executeUpdate(reportHardshipUpdate, {
      args: [{ hardshipId: 'hs-1', cause: 'illness', proposal: 'deferral', deferMonths: 6, note: 'synthetic', actor: OFFICIALS.village }],
    });
    await loan.executeUpdate(decideHardshipUpdate, { args: [{ hardshipId: 'hs-1', approve: true, reason: 'synthetic', actor: OFFICIALS.town }] });
    for (let i = 1; (await loan.describe()).runId === loan.firstExecutionRunId; i++) {
      if (i > 50) throw new Error('no continue-as-new');
      await loan.executeUpdate(recordRepaymentUpdate, {
        args: [{ repaymentId: `r-${i}`, amountFen: 100, method: 'cash', reference: `R-${i}`, receivedOn: today, actor: OFFICIALS.village }],
        updateId: `u-${i}`,
      });
    }
    await record(loan.workflowId, 'deferred-then-continued-as-new', loan.firstExecutionRunId);
  }, 300_000);
});
