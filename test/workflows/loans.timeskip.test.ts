import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { STREAM_ID } from '../../src/domain/streams';
import { loanIdsOf } from '../../src/workflows/loan-batch';
import {
  confirmInKindUpdate,
  decideHardshipUpdate,
  loanBatchWorkflowId,
  raiseBatchObjectionUpdate,
  recordRepaymentUpdate,
  reportHardshipUpdate,
  resolveBatchObjectionUpdate,
  reverseRepaymentUpdate,
  valueInKindUpdate,
  type LoanView,
} from '../../src/workflows/loan-messages';
import {
  advanceTo,
  AMOUNT_FEN,
  approvePayouts,
  createScheme,
  DAY_MS,
  enrolledHouseholds,
  loanHandle,
  loanHarness,
  loanState,
  OFFICIALS,
  openPool,
  poolBalances,
  proposeBatch,
  signAll,
  startBatch,
  untilBatchStatus,
  untilClosed,
  type LoanHarness,
} from '../support/loan-harness';

/** The failure a refused Update carries: the domain's code and message. */
async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const eventTypes = async (h: LoanHarness, id: string) => (await h.store.readStream(id)).map((e) => e.type);

describe('loanBatch and revolvingLoan on the time-skipping server (real activities and Postgres, the bank scripted)', () => {
  let h: LoanHarness;
  let fund: { fundId: string; account: string };
  let schemeId: string;
  let batchId: string;
  /** The batch's paid loans, by what each test does with it. */
  const loans = { repaid: '', deferred: '', writtenOff: '' };

  beforeAll(async () => {
    h = await loanHarness();
    await advanceTo(h, '2027-03-01', 9);
    fund = await openPool(h, 300_000, 360_000); // six loans' worth
    schemeId = await createScheme(h, fund.fundId);
  }, 180_000);
  afterAll(() => h?.close());

  it('a batch: publicised with objections (a substantiated one removes a household), signed, paid, and a loan started per payout', async () => {
    const hh = await enrolledHouseholds(h, 6);
    h.bank.refusing.add(hh[2].account); // the bank refuses this household's account: its payout fails
    batchId = await proposeBatch(h, schemeId, fund.fundId, hh);
    const wf = await startBatch(h, { batchId, schemeId, fund, cycle: 1, households: hh });
    await untilBatchStatus(h, batchId, 'publicity');

    // Two objections: the one against household 5 is substantiated, the one against household 4 is not.
    const raise = (objectionId: string, householdId: string) =>
      wf.executeUpdate(raiseBatchObjectionUpdate, { args: [{ objectionId, householdId, reason: 'keeps no cattle shed', actor: OFFICIALS.village }] });
    await raise('obj-1', hh[5].householdId);
    await raise('obj-2', hh[4].householdId);
    // Publicity ends after its period only once every objection is resolved.
    await advanceTo(h, '2027-03-09');
    expect((await untilBatchStatus(h, batchId, 'publicity')).objections.filter((o) => !o.resolved)).toHaveLength(2);
    await wf.executeUpdate(resolveBatchObjectionUpdate, {
      args: [{ objectionId: 'obj-1', substantiated: true, finding: 'verified: the household is a cattle dealer', actor: OFFICIALS.town }],
    });
    const view = await wf.executeUpdate(resolveBatchObjectionUpdate, {
      args: [{ objectionId: 'obj-2', substantiated: false, finding: 'not borne out', actor: OFFICIALS.town }],
    });
    expect(view.households.find((x) => x.householdId === hh[5].householdId)?.status).toBe('removed');
    await untilBatchStatus(h, batchId, 'signing');

    // Four of the five left sign; household 3 does not, and the signing period runs out.
    await signAll(
      h,
      batchId,
      [hh[0], hh[1], hh[2], hh[4]].map((x) => x.householdId),
    );
    await advanceTo(h, '2027-03-25');
    const paying = await untilBatchStatus(h, batchId, 'paying');
    expect(paying.households.find((x) => x.householdId === hh[3].householdId)?.status).toBe('unsigned');

    await approvePayouts(h, batchId, 4);
    await untilClosed(h, wf.workflowId);
    const done = await wf.result();
    expect(done).toMatchObject({ status: 'completed', loansPaid: 3, paidFen: 3 * AMOUNT_FEN });
    expect(Object.fromEntries(done.households.map((x) => [x.householdId, x.status]))).toEqual({
      [hh[0].householdId]: 'paid',
      [hh[1].householdId]: 'paid',
      [hh[2].householdId]: 'failed',
      [hh[3].householdId]: 'unsigned',
      [hh[4].householdId]: 'paid',
      [hh[5].householdId]: 'removed',
    });
    expect(await eventTypes(h, STREAM_ID.batch(batchId))).toEqual([
      'BatchOpened',
      'BatchObjectionRaised',
      'BatchObjectionRaised',
      'BatchObjectionResolved',
      'BatchObjectionResolved',
      'BatchPublicityEnded',
      'AgreementSigned',
      'AgreementSigned',
      'AgreementSigned',
      'AgreementSigned',
      'SigningClosed',
      'LoanIssued',
      'LoanIssued',
      'LoanIssued',
      'LoanIssued',
      'BatchCompleted',
    ]);
    // The claim is released on the scheme's stream; the failed payout left no money out.
    expect((await eventTypes(h, STREAM_ID.scheme(schemeId))).slice(-2)).toEqual(['BatchProposed', 'BatchSettled']);
    expect(await poolBalances(h, fund.fundId)).toMatchObject({ deposited: 660_000, available: 330_000, paid: 330_000, lent: 330_000, receivable: 330_000 });
    // Each paid household's loan runs on its own, scheduled from the payout day.
    [loans.repaid, loans.deferred, , loans.writtenOff] = [1, 2, 3, 4].map((n) => loanIdsOf(batchId, n).loanId);
    const first = await loanState(h, loans.repaid);
    expect(first).toMatchObject({ householdId: hh[0].householdId, status: 'active', outstandingFen: AMOUNT_FEN, paidOn: expect.stringMatching(/^2027-03-2/) });
    expect(first.schedule).toEqual([
      { n: 1, dueDate: '2027-12-31', amountFen: 55_000 },
      { n: 2, dueDate: '2028-12-31', amountFen: 55_000 },
    ]);
    await expect(loanHandle(h, loanIdsOf(batchId, 3).loanId).describe()).rejects.toThrow(); // no loan for the failed payout
    // The workflow history holds ids only: no account number in the clear.
    const history = JSON.stringify(await h.env.client.workflow.getHandle(loanBatchWorkflowId(batchId)).fetchHistory());
    expect(history).not.toContain(hh[0].account);
  }, 300_000);

  it('a loan: reminded before its due date, repaid in part, an overpayment refused naming what is owed, a reversal, in kind confirmed by a second official, closed when repaid', async () => {
    const loan = loanHandle(h, loans.repaid);
    await advanceTo(h, '2027-12-18'); // 14 days before 31 December
    expect((await loanState(h, loans.repaid)).remindersIssued).toEqual([1]);
    const cashBefore = (await poolBalances(h, fund.fundId)).available;

    const repay = (repaymentId: string, amountFen: number, updateId?: string) =>
      loan.executeUpdate(recordRepaymentUpdate, {
        args: [{ repaymentId, amountFen, method: 'cash', reference: `R-${repaymentId}`, receivedOn: '2027-12-20', actor: OFFICIALS.village }],
        updateId,
      });
    expect(await repay('rep-1', 30_000, 'u-rep-1')).toMatchObject({ repaidFen: 30_000, outstandingFen: 80_000 });
    // The same Update again (a retried request) is answered, not recorded twice.
    expect(await repay('rep-1', 30_000, 'u-rep-1')).toMatchObject({ repaidFen: 30_000 });

    const over = await refusal(repay('rep-over', 90_000));
    expect(over.type).toBe('invalid');
    expect(over.message).toContain('80000');

    // A mistaken repayment, reversed by a correcting entry (the original stays in the stream).
    await repay('rep-mistake', 10_000);
    const reversed = await loan.executeUpdate(reverseRepaymentUpdate, {
      args: [{ repaymentId: 'rep-mistake', reason: 'recorded against the wrong household', actor: OFFICIALS.town }],
    });
    expect(reversed).toMatchObject({ repaidFen: 30_000, outstandingFen: 80_000 });

    // A calf: valued by one official, confirmed by a different one (the same one may not).
    await loan.executeUpdate(valueInKindUpdate, {
      args: [{ valuationId: 'val-1', amountFen: 50_000, description: 'one heifer calf, 6 months', receivedOn: '2027-12-22', actor: OFFICIALS.village }],
    });
    expect(
      (await refusal(loan.executeUpdate(confirmInKindUpdate, { args: [{ valuationId: 'val-1', repaymentId: 'rep-calf', actor: OFFICIALS.village }] }))).type,
    ).toBe('forbidden');
    expect(
      await loan.executeUpdate(confirmInKindUpdate, { args: [{ valuationId: 'val-1', repaymentId: 'rep-calf', actor: OFFICIALS.village2 }] }),
    ).toMatchObject({
      repaidFen: 80_000,
      outstandingFen: 30_000,
    });

    const closed = await repay('rep-2', 30_000);
    expect(closed).toMatchObject({ status: 'repaid', outstandingFen: 0 });
    expect((await refusal(repay('rep-3', 100))).message).toBeTruthy(); // a closed loan takes no repayment

    const books = await poolBalances(h, fund.fundId);
    expect(books.available - cashBefore).toBe(60_000); // cash only: the calf is in kind, the mistake reversed
    expect(books.in_kind).toBe(50_000);
    expect(books.available + books.reserved + books.receivable + books.in_kind + books.written_off).toBe(books.deposited);

    const types = await eventTypes(h, STREAM_ID.loan(loans.repaid));
    expect(types.filter((t) => t === 'RepaymentRecorded')).toHaveLength(4);
    expect(types).toEqual(expect.arrayContaining(['LoanOpened', 'LoanDisbursed', 'ReminderIssued', 'RepaymentReversed', 'InKindValued', 'LoanClosed']));
    // It stays 90 days for a late reversal, then ends.
    await advanceTo(h, '2028-04-01');
    await untilClosed(h, loan.workflowId);
    expect(await loan.result()).toMatchObject({ status: 'repaid' });
  }, 300_000);

  it('hardship: an illness deferral approved by the town moves the unpaid instalments', async () => {
    const loan = loanHandle(h, loans.deferred);
    await loan.executeUpdate(reportHardshipUpdate, {
      args: [
        {
          hardshipId: 'hs-1',
          cause: 'illness',
          proposal: 'deferral',
          deferMonths: 12,
          note: 'the head of household was in hospital for months',
          actor: OFFICIALS.village,
        },
      ],
    });
    const granted = await loan.executeUpdate(decideHardshipUpdate, {
      args: [{ hardshipId: 'hs-1', approve: true, reason: 'confirmed', actor: OFFICIALS.town }],
    });
    expect(granted.schedule.map((i) => i.dueDate)).toEqual(['2028-12-31', '2029-12-31']);
    expect(granted.status).toBe('active');
  }, 120_000);

  it('hardship: the animal died; the write-off needs two different county officials, and leaves the receivable', async () => {
    const loan = loanHandle(h, loans.writtenOff);
    const before = await poolBalances(h, fund.fundId);
    await loan.executeUpdate(reportHardshipUpdate, {
      args: [
        {
          hardshipId: 'hs-2',
          cause: 'animal_died',
          evidenceHash: 'a'.repeat(64),
          proposal: 'write_off',
          note: 'the cow died of disease',
          actor: OFFICIALS.village,
        },
      ],
    });
    const decide = (actor: typeof OFFICIALS.county) =>
      loan.executeUpdate(decideHardshipUpdate, { args: [{ hardshipId: 'hs-2', approve: true, reason: 'veterinary certificate seen', actor }] });
    expect((await decide(OFFICIALS.county)).status).toBe('active');
    expect((await refusal(decide(OFFICIALS.county))).type).toBeTruthy(); // the same official twice
    const off = await decide(OFFICIALS.county2);
    expect(off).toMatchObject({ status: 'written_off', writtenOffFen: AMOUNT_FEN, outstandingFen: 0 });
    const after = await poolBalances(h, fund.fundId);
    expect(after.written_off - before.written_off).toBe(AMOUNT_FEN);
    expect(after.receivable).toBe(before.receivable - AMOUNT_FEN);
    expect(after.available).toBe(before.available); // no cash moves
  }, 120_000);

  it('continues as new past 2,000 history events, keeping the state and the Update ids already processed', async () => {
    const loan = loanHandle(h, loans.deferred);
    const firstRun = (await loan.describe()).runId;
    const repay = (i: number) =>
      loan.executeUpdate(recordRepaymentUpdate, {
        args: [{ repaymentId: `small-${i}`, amountFen: 100, method: 'cash', reference: `R-small-${i}`, receivedOn: '2028-04-02', actor: OFFICIALS.village }],
        updateId: `u-small-${i}`,
      });
    let last: LoanView | undefined;
    for (let i = 1; (await loan.describe()).runId === firstRun; i++) {
      if (i > 400) throw new Error('no continue-as-new after 400 Updates');
      last = await repay(i);
    }
    const repaid = (await loanState(h, loans.deferred)).repaidFen;
    expect(repaid).toBe(last?.repaidFen);
    // The first Update, sent again to the new run: answered with the state, not recorded again.
    expect((await repay(1)).repaidFen).toBe(repaid);
    expect((await loanState(h, loans.deferred)).schedule.map((i) => i.dueDate)).toEqual(['2028-12-31', '2029-12-31']);
    const recorded = (await h.store.readStream(STREAM_ID.loan(loans.deferred))).filter((e) => e.type === 'RepaymentRecorded');
    expect(recorded).toHaveLength(repaid / 100);
  }, 300_000);

  it('the buckets: days past due by the first unpaid instalment', async () => {
    // Nothing of loan 2 is due before 2028-12-31 (deferred); advance past it unpaid.
    await advanceTo(h, '2029-01-15');
    const s = await loanState(h, loans.deferred);
    const { bucketOf, daysPastDue } = await import('../../src/domain/loans/delinquency');
    expect(bucketOf(daysPastDue(s, '2029-01-15'))).toBe('1-30');
    expect(bucketOf(daysPastDue(s, '2029-02-20'))).toBe('31-60');
    expect(bucketOf(daysPastDue(s, '2028-12-30'))).toBe('current');
    expect(Date.parse('2029-01-15') - Date.parse('2028-12-31')).toBe(15 * DAY_MS);
  }, 120_000);
});
