/**
 * Records histories on the current code for test/workflows/replay.test.ts that carry the role
 * level patches: every person's step checks that the actor's role is held at its own level
 * (patch `actors-placed`, in identificationCase, disbursement, loanBatch and revolvingLoan), and
 * a loan's repayment is reversed only by an official other than its recorder (patch
 * `loan-second-official-reverses`). Each recording checks that its history holds the markers,
 * so a path that never reached them cannot pass for one that did. Run by
 * `npm run record-histories` with the others. Everything is synthetic.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ACTORS_PLACED } from '../../src/workflows/actors-placed';
import { loanBatchWorkflowId, recordRepaymentUpdate, reverseRepaymentUpdate, valueInKindUpdate, confirmInKindUpdate } from '../../src/workflows/loan-messages';
import { SECOND_OFFICIAL_REVERSES } from '../../src/workflows/revolving-loan';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { saveHistory } from '../support/histories';
import {
  advanceTo,
  loanHandle,
  loanHarness,
  loanState,
  OFFICIALS,
  onePaidLoan,
  openPool,
  today,
  untilClosed,
  AMOUNT_FEN,
  type LoanHarness,
} from '../support/loan-harness';
import { patchIdsOf } from '../support/patch-markers';
import { caseScenarios } from './case-scenarios';
import { fundScenarios } from './fund-scenarios';
import { record, syntheticHousehold, SYNTHETIC_ID_KEY } from './recorder';

function expectPatches(history: History, what: string, patchIds: string[]): void {
  const recorded = patchIdsOf(history);
  const missing = patchIds.filter((id) => !recorded.includes(id));
  if (missing.length > 0) throw new Error(`${what}: no marker of ${missing.join(', ')} (recorded: ${recorded.join(', ')})`);
}

describe('record role level histories into test/histories: cases and payouts through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT3S', ID_HASH_KEY: SYNTHETIC_ID_KEY });
  }, 60_000);
  afterAll(() => api?.close());

  const historyOf = (workflowId: string) => api.env.client.workflow.getHandle(workflowId).fetchHistory();

  it('identificationCase enrolled through every stage, then disbursement paid to the household', async () => {
    const c = await caseScenarios(api).enrol(syntheticHousehold(9, '9999000099992222'));
    await record(api, c.caseId, 'enrolled-actors-placed.local-steps');
    expectPatches(await historyOf(c.caseId), 'the enrolled case', [ACTORS_PLACED]);

    const funds = fundScenarios(api);
    const fundId = await funds.openFund('9999000000000901', 1_000_000);
    const paid = await funds.disburse(fundId, c.householdId, 150_000, ['town-heping'], 'paid');
    await record(api, paid, 'paid-actors-placed');
    expectPatches(await historyOf(paid), 'the payout', [ACTORS_PLACED]);
  }, 240_000);
});

describe('record role level histories into test/histories: a loan batch and a loan', () => {
  let h: LoanHarness;
  beforeAll(async () => {
    h = await loanHarness();
  }, 120_000);
  afterAll(() => h?.close());

  it('loanBatch signed and paid; revolvingLoan with a reversal by a second official and an in-kind repayment confirmed by the town', async () => {
    const fund = await openPool(h, 300_000, 300_000);
    const loanId = await onePaidLoan(h, fund);
    const { batchId } = await loanState(h, loanId);
    const batch = await h.env.client.workflow.getHandle(loanBatchWorkflowId(batchId)).fetchHistory();
    expectPatches(batch, 'the loan batch', [ACTORS_PLACED]);
    saveHistory(batch, 'signed-paid-actors-placed');

    const loan = loanHandle(h, loanId);
    const day = await today(h);
    const repay = (repaymentId: string, amountFen: number) =>
      loan.executeUpdate(recordRepaymentUpdate, {
        args: [{ repaymentId, amountFen, method: 'cash', reference: `R-${repaymentId}`, receivedOn: day, actor: OFFICIALS.village }],
      });
    await repay('rep-1', 50_000);
    await repay('rep-mistake', 1_000);
    // Whoever recorded a repayment may not reverse it: refused before it is accepted, so no trace in the history.
    const own = await loan
      .executeUpdate(reverseRepaymentUpdate, { args: [{ repaymentId: 'rep-mistake', reason: 'synthetic mistake', actor: OFFICIALS.village }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!(own instanceof WorkflowUpdateFailedError)) throw new Error(`the recorder reversed their own repayment: ${String(own)}`);
    await loan.executeUpdate(reverseRepaymentUpdate, { args: [{ repaymentId: 'rep-mistake', reason: 'synthetic mistake', actor: OFFICIALS.village2 }] });
    await loan.executeUpdate(valueInKindUpdate, {
      args: [{ valuationId: 'val-1', amountFen: 40_000, description: 'synthetic calf', receivedOn: day, actor: OFFICIALS.village }],
    });
    await loan.executeUpdate(confirmInKindUpdate, { args: [{ valuationId: 'val-1', repaymentId: 'rep-calf', actor: OFFICIALS.town }] });
    await repay('rep-2', AMOUNT_FEN - 50_000 - 40_000);

    await advanceTo(h, '2027-07-01'); // a repaid loan lingers 90 days after closing, then ends
    await untilClosed(h, loan.workflowId);
    const history = await loan.fetchHistory();
    expectPatches(history, 'the loan', [ACTORS_PLACED, SECOND_OFFICIAL_REVERSES]);
    saveHistory(history, 'repaid-second-official-reversal-town-in-kind');
  }, 300_000);
});
