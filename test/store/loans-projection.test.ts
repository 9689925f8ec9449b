import type { LoanEvent } from '../../src/domain/loans/events';
import { createEventStore } from '../../src/store/create-event-store';
import { owedBy } from '../../src/domain/loans/delinquency';
import { applyLoanEvent, dueArrays, earliestUnpaidDue, wantedLoanTasks, type LoanRowState } from '../../src/store/projections/loans';
import { getLoan, listRepayments } from '../../src/store/projections/loans-queries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import {
  COUNTY,
  TOWN,
  VILLAGE,
  createScheme,
  loanAppender,
  loanOpened,
  newLoanId,
  openPool,
  repaid,
  seedJurisdictions,
  seedSchedule,
  type LoanAppender,
} from '../support/loan-store';

const ids = { loanId: 'loan-00000000-0000-4000-8000-000000000001', schemeId: 'scheme-1', batchId: 'batch-1', fundId: 'fund-1', householdId: 'hh-1' };
const fold = (events: LoanEvent[], from?: LoanRowState) => events.reduce<LoanRowState | undefined>(applyLoanEvent, from) as LoanRowState;
const disbursed: LoanEvent = { type: 'LoanDisbursed', data: { paidOn: '2026-03-01', schedule: seedSchedule() } };

describe('applyLoanEvent: the loan row fold', () => {
  it('opens pending, runs once paid, and keeps repaid + written off + outstanding = principal', () => {
    const opened = fold([loanOpened(ids)]);
    expect(opened).toMatchObject({ status: 'pending', outstandingFen: 110_000, schedule: [], version: 1 });
    expect(earliestUnpaidDue(opened)).toBeUndefined();

    const running = fold([disbursed, repaid('r1', 30_000, '2026-06-01')], opened);
    expect(running).toMatchObject({ status: 'active', paidOn: '2026-03-01', repaidFen: 30_000, outstandingFen: 80_000, version: 3 });
    expect(earliestUnpaidDue(running)).toBe('2026-12-31');
    expect(owedBy(running, '2026-12-31')).toBe(25_000);
    expect(owedBy(running, '2026-12-30')).toBe(0);

    const halfPaid = fold([repaid('r2', 25_000, '2026-12-01')], running);
    expect(earliestUnpaidDue(halfPaid)).toBe('2027-12-31'); // the first instalment is covered
    const reversed = fold([{ type: 'RepaymentReversed', data: { repaymentId: 'r2', amountFen: 25_000, reason: 'typo', reversedBy: 'u-town' } }], halfPaid);
    expect(reversed).toMatchObject({ repaidFen: 30_000, outstandingFen: 80_000 });
    expect(reversed.repayments.find((r) => r.repaymentId === 'r2')?.reversed).toEqual({ reason: 'typo', reversedBy: 'u-town' });
    expect(earliestUnpaidDue(reversed)).toBe('2026-12-31');
  });

  it('counts a confirmed calf as repaid in kind, and its reversal takes it off again', () => {
    const s = fold([
      loanOpened(ids),
      disbursed,
      { type: 'InKindValued', data: { valuationId: 'v1', amountFen: 60_000, description: 'a calf', valuedBy: 'u-village', receivedOn: '2026-10-01' } },
    ]);
    expect(s.pendingValuations).toHaveLength(1);
    const confirmed = fold(
      [
        {
          type: 'RepaymentRecorded',
          data: {
            repaymentId: 'r-calf',
            amountFen: 60_000,
            method: 'in_kind',
            reference: 'v1',
            receivedOn: '2026-10-01',
            recordedBy: 'u-village-2',
            inKind: { description: 'a calf', valuedBy: 'u-village', confirmedBy: 'u-village-2' },
          },
        },
      ],
      s,
    );
    expect(confirmed).toMatchObject({ repaidFen: 60_000, inKindFen: 60_000, outstandingFen: 50_000, pendingValuations: [] });
    const undone = fold(
      [{ type: 'RepaymentReversed', data: { repaymentId: 'r-calf', amountFen: 60_000, reason: 'calf died', reversedBy: 'u-town' } }],
      confirmed,
    );
    expect(undone).toMatchObject({ repaidFen: 0, inKindFen: 0, outstandingFen: 110_000 });
    const rejected = fold([{ type: 'InKindRejected', data: { valuationId: 'v1', rejectedBy: 'u-village-2', reason: 'overvalued' } }], s);
    expect(rejected.pendingValuations).toEqual([]);
  });

  it('follows hardships: a deferral moves the schedule, a write-off takes two approvals and closes the loan', () => {
    const s = fold([
      loanOpened(ids),
      disbursed,
      { type: 'HardshipReported', data: { hardshipId: 'h1', cause: 'illness', proposal: 'deferral', deferMonths: 6, reportedBy: 'u-village', note: 'ill' } },
    ]);
    expect(s.hardships[0]).toMatchObject({ status: 'proposed', deferMonths: 6 });
    const deferred = fold(
      [
        {
          type: 'DeferralGranted',
          data: {
            hardshipId: 'h1',
            approvedBy: 'u-town',
            schedule: [
              { n: 1, dueDate: '2027-06-30', amountFen: 55_000 },
              { n: 2, dueDate: '2028-06-30', amountFen: 55_000 },
            ],
          },
        },
      ],
      s,
    );
    expect(deferred.hardships[0]).toMatchObject({ status: 'granted', approvals: ['u-town'] });
    expect(earliestUnpaidDue(deferred)).toBe('2027-06-30');

    const died = fold(
      [
        {
          type: 'HardshipReported',
          data: { hardshipId: 'h2', cause: 'animal_died', evidenceHash: 'b'.repeat(64), proposal: 'write_off', reportedBy: 'u-village', note: 'died' },
        },
        { type: 'WriteOffApproved', data: { hardshipId: 'h2', approvedBy: 'u-county-1' } },
      ],
      deferred,
    );
    expect(died.hardships[1]).toMatchObject({ status: 'proposed', approvals: ['u-county-1'] });
    const written = fold(
      [
        { type: 'LoanWrittenOff', data: { hardshipId: 'h2', amountFen: 110_000, approvers: ['u-county-1', 'u-county-2'] } },
        { type: 'LoanClosed', data: { closedOn: '2027-01-10', how: 'written_off' } },
      ],
      died,
    );
    expect(written).toMatchObject({ status: 'written_off', writtenOffFen: 110_000, outstandingFen: 0, closedOn: '2027-01-10' });
    expect(earliestUnpaidDue(written)).toBeUndefined();
    expect(wantedLoanTasks(written).size).toBe(0);

    const rejected = fold([{ type: 'HardshipRejected', data: { hardshipId: 'h1', rejectedBy: 'u-town', reason: 'no proof' } }], s);
    expect(rejected.hardships[0].status).toBe('rejected');
  });

  it('closes when repaid, reopens on a reversal, and a cancelled loan owes nothing', () => {
    const closed = fold([
      loanOpened(ids),
      disbursed,
      repaid('r1', 110_000, '2026-05-01'),
      { type: 'ReminderIssued', data: { instalment: 1, dueDate: '2026-12-31', outstandingFen: 0 } },
      { type: 'LoanClosed', data: { closedOn: '2026-05-01', how: 'repaid' } },
    ]);
    expect(closed).toMatchObject({ status: 'repaid', closedOn: '2026-05-01', remindersIssued: [1] });
    const reopened = fold(
      [
        { type: 'RepaymentReversed', data: { repaymentId: 'r1', amountFen: 110_000, reason: 'bounced', reversedBy: 'u-town' } },
        { type: 'LoanReopened', data: { reason: 'bounced' } },
      ],
      closed,
    );
    expect(reopened).toMatchObject({ status: 'active', outstandingFen: 110_000 });
    expect(reopened.closedOn).toBeUndefined();
    const cancelled = fold([loanOpened(ids), { type: 'LoanCancelled', data: { reason: 'account closed' } }]);
    expect(cancelled).toMatchObject({ status: 'cancelled', outstandingFen: 0, cancelReason: 'account closed' });
  });

  it('covers instalments earliest due first, whatever order the schedule lists them in', () => {
    const s = fold([
      loanOpened(ids),
      {
        type: 'LoanDisbursed',
        data: {
          paidOn: '2026-03-01',
          schedule: [
            { n: 2, dueDate: '2027-12-31', amountFen: 60_000 },
            { n: 1, dueDate: '2026-12-31', amountFen: 50_000 },
          ],
        },
      },
      repaid('r1', 50_000, '2026-06-01'),
    ]);
    expect(dueArrays(s)).toEqual({ dates: ['2026-12-31', '2027-12-31'], cumulative: [50_000, 110_000] });
    expect(earliestUnpaidDue(s)).toBe('2027-12-31');
  });

  it('refuses an event before the loan was opened', () => {
    expect(() => applyLoanEvent(undefined, disbursed)).toThrow('LoanDisbursed before LoanOpened');
  });
});

describe('the loans projection on Postgres', () => {
  let db: TestDatabase;
  let a: LoanAppender;
  const fundId = 'fund-loans-projection';
  const schemeId = 'scheme-projection';

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedJurisdictions(db.pool);
    a = loanAppender(createEventStore(db.pool));
    await openPool(a, fundId, 10_000_000);
    await createScheme(a, schemeId, fundId);
  });
  afterAll(() => db.drop());

  const row = async (loanId: string) =>
    (
      await db.pool.query(
        `SELECT status, principal_fen::int, repaid_fen::int, in_kind_fen::int, written_off_fen::int, outstanding_fen::int, paid_on::text,
           earliest_unpaid_due::text, closed_on::text, grace_days, village, town, county
         FROM loans WHERE loan_id = $1`,
        [loanId],
      )
    ).rows[0];
  const tasks = async (loanId: string) =>
    (
      await db.pool.query(
        `SELECT task_id, subject_id, step, round, roles, barred, jurisdiction, due_at, status FROM tasks WHERE subject_kind = 'loan' AND subject_id LIKE $1 || '%'
         ORDER BY created_at, task_id`,
        [loanId],
      )
    ).rows;
  const openTasks = async (loanId: string) => (await tasks(loanId)).filter((t) => t.status === 'open');

  it('writes the row at each step: pending, running, repaid in part, reversed, closed', async () => {
    const loanId = newLoanId();
    const l = { ...ids, loanId, schemeId, fundId, householdId: 'hh-p1' };
    await a.loan(loanId, loanOpened(l));
    expect(await row(loanId)).toMatchObject({ status: 'pending', principal_fen: 110_000, outstanding_fen: 110_000, paid_on: null, earliest_unpaid_due: null });
    expect(await row(loanId)).toMatchObject({ village: VILLAGE, town: TOWN, county: COUNTY, grace_days: 0 });

    await a.loan(loanId, disbursed, repaid('rp-1', 40_000, '2026-06-01'));
    expect(await row(loanId)).toMatchObject({
      status: 'active',
      paid_on: '2026-03-01',
      repaid_fen: 40_000,
      outstanding_fen: 70_000,
      earliest_unpaid_due: '2026-12-31',
    });

    await a.loan(loanId, repaid('rp-2', 20_000, '2026-07-01', 'bank_transfer'));
    expect(await row(loanId)).toMatchObject({ repaid_fen: 60_000, earliest_unpaid_due: '2027-12-31' });

    await a.loan(loanId, { type: 'RepaymentReversed', data: { repaymentId: 'rp-2', amountFen: 20_000, reason: 'entered twice', reversedBy: 'u-town' } });
    expect(await row(loanId)).toMatchObject({ repaid_fen: 40_000, outstanding_fen: 70_000, earliest_unpaid_due: '2026-12-31' });
    const repayments = await listRepayments(db.pool, loanId);
    expect(repayments.map((r) => [r.repaymentId, r.amountFen, r.method, r.receivedOn, r.reversalReason])).toEqual([
      ['rp-1', 40_000, 'cash', '2026-06-01', null],
      ['rp-2', 20_000, 'bank_transfer', '2026-07-01', 'entered twice'],
    ]);
    expect(repayments[1]).toMatchObject({ reference: 'R-rp-2', recordedBy: 'u-village', reversedBy: 'u-town', schemeId, householdId: 'hh-p1' });
    expect(repayments[1].reversedAt).toBeInstanceOf(Date);

    await a.loan(loanId, repaid('rp-3', 70_000, '2026-08-01'), { type: 'LoanClosed', data: { closedOn: '2026-08-01', how: 'repaid' } });
    expect(await row(loanId)).toMatchObject({ status: 'repaid', repaid_fen: 110_000, outstanding_fen: 0, earliest_unpaid_due: null, closed_on: '2026-08-01' });
    const detail = await getLoan(db.pool, loanId, '2026-08-02');
    expect(detail).toMatchObject({ loanId, status: 'repaid', bucket: 'current', daysPastDue: 0, schedule: seedSchedule(), closedOn: '2026-08-01' });
    expect(detail?.state.repayments).toHaveLength(3);
  });

  it('books in-kind repayments apart, and keeps a cancelled loan owing nothing', async () => {
    const loanId = newLoanId();
    await a.loan(loanId, loanOpened({ ...ids, loanId, schemeId, fundId, householdId: 'hh-p2' }), disbursed, {
      type: 'InKindValued',
      data: { valuationId: 'v-1', amountFen: 55_000, description: 'a heifer calf', valuedBy: 'u-village', receivedOn: '2026-11-01' },
    });
    // Whoever may confirm (the village's other officials, or its town's), but not the valuer.
    expect((await openTasks(loanId)).map((t) => [t.subject_id, t.step, t.roles, t.barred, t.jurisdiction])).toEqual([
      [`${loanId}/in_kind:v-1`, 'in_kind_confirmation', ['village_official', 'town_official'], ['u-village'], VILLAGE],
    ]);
    await a.loan(loanId, {
      type: 'RepaymentRecorded',
      data: {
        repaymentId: 'rp-calf',
        amountFen: 55_000,
        method: 'in_kind',
        reference: 'v-1',
        receivedOn: '2026-11-01',
        recordedBy: 'u-village-2',
        inKind: { description: 'a heifer calf', valuedBy: 'u-village', confirmedBy: 'u-village-2' },
      },
    });
    expect(await row(loanId)).toMatchObject({ repaid_fen: 55_000, in_kind_fen: 55_000, outstanding_fen: 55_000 });
    expect(await openTasks(loanId)).toEqual([]);
    expect((await listRepayments(db.pool, loanId))[0].inKind).toEqual({ description: 'a heifer calf', valuedBy: 'u-village', confirmedBy: 'u-village-2' });

    const cancelled = newLoanId();
    await a.loan(cancelled, loanOpened({ ...ids, loanId: cancelled, schemeId, fundId, householdId: 'hh-p3' }), {
      type: 'LoanCancelled',
      data: { reason: 'payout failed' },
    });
    expect(await row(cancelled)).toMatchObject({ status: 'cancelled', repaid_fen: 0, outstanding_fen: 0 });
  });

  it("opens a reminder's task for the village official, due on the instalment's day, and closes it once that is paid", async () => {
    const loanId = newLoanId();
    await a.loan(loanId, loanOpened({ ...ids, loanId, schemeId, fundId, householdId: 'hh-p4' }), disbursed);
    await a.loan(loanId, { type: 'ReminderIssued', data: { instalment: 1, dueDate: '2026-12-31', outstandingFen: 55_000 } });
    const [reminder] = await openTasks(loanId);
    expect(reminder).toMatchObject({
      subject_id: loanId,
      step: 'repayment_due',
      round: '1:2026-12-31',
      roles: ['village_official', 'cashier', 'fund_manager'],
      jurisdiction: VILLAGE,
      due_at: new Date('2026-12-31T23:59:59.999Z'),
    });
    expect(reminder.task_id).toMatch(/^task-[0-9a-f-]{36}-\d+$/); // the inbox's task id shape

    await a.loan(loanId, repaid('rp-part', 30_000, '2026-12-20')); // still 25,000 owed by the day
    expect(await openTasks(loanId)).toHaveLength(1);
    await a.loan(loanId, repaid('rp-rest', 25_000, '2026-12-30'));
    expect(await openTasks(loanId)).toEqual([]);
    expect((await tasks(loanId))[0]).toMatchObject({ task_id: reminder.task_id, status: 'done' });

    // A reversal that leaves the reminded instalment unpaid again puts the task back.
    await a.loan(loanId, { type: 'RepaymentReversed', data: { repaymentId: 'rp-rest', amountFen: 25_000, reason: 'forged receipt', reversedBy: 'u-town' } });
    expect((await openTasks(loanId)).map((t) => t.step)).toEqual(['repayment_due']);
    await a.loan(loanId, repaid('rp-again', 80_000, '2027-01-05'), { type: 'LoanClosed', data: { closedOn: '2027-01-05', how: 'repaid' } });
    expect(await openTasks(loanId)).toEqual([]);
  });

  it('opens a hardship for the town (a deferral) or the county (a write-off, one task per approval), closed by the decision', async () => {
    const loanId = newLoanId();
    await a.loan(loanId, loanOpened({ ...ids, loanId, schemeId, fundId, householdId: 'hh-p5' }), disbursed, {
      type: 'HardshipReported',
      data: { hardshipId: 'h-ill', cause: 'illness', proposal: 'deferral', deferMonths: 6, reportedBy: 'u-village', note: 'in hospital' },
    });
    expect((await openTasks(loanId)).map((t) => [t.subject_id, t.step, t.roles, t.jurisdiction])).toEqual([
      [`${loanId}/hardship:h-ill`, 'hardship_deferral', ['town_official'], TOWN],
    ]);
    const moved = [
      { n: 1, dueDate: '2027-06-30', amountFen: 55_000 },
      { n: 2, dueDate: '2028-06-30', amountFen: 55_000 },
    ];
    await a.loan(loanId, { type: 'DeferralGranted', data: { hardshipId: 'h-ill', approvedBy: 'u-town', schedule: moved } });
    expect(await openTasks(loanId)).toEqual([]);
    expect(await row(loanId)).toMatchObject({ earliest_unpaid_due: '2027-06-30' });

    await a.loan(loanId, {
      type: 'HardshipReported',
      data: {
        hardshipId: 'h-died',
        cause: 'animal_died',
        evidenceHash: 'c'.repeat(64),
        proposal: 'write_off',
        reportedBy: 'u-village',
        note: 'vet certificate',
      },
    });
    const [first] = await openTasks(loanId);
    expect(first).toMatchObject({
      subject_id: `${loanId}/hardship:h-died`,
      step: 'hardship_write_off',
      round: '0',
      roles: ['county_official'],
      barred: ['u-village'],
      jurisdiction: COUNTY,
    });
    await a.loan(loanId, { type: 'WriteOffApproved', data: { hardshipId: 'h-died', approvedBy: 'u-county-1' } });
    const [second] = await openTasks(loanId);
    // The second approval is another county official's: the first is barred from it, as is the reporter.
    expect(second).toMatchObject({ step: 'hardship_write_off', round: '1', barred: ['u-village', 'u-county-1'] });
    expect(second.task_id).not.toBe(first.task_id);

    await a.loan(
      loanId,
      { type: 'LoanWrittenOff', data: { hardshipId: 'h-died', amountFen: 110_000, approvers: ['u-county-1', 'u-county-2'] } },
      { type: 'LoanClosed', data: { closedOn: '2027-01-10', how: 'written_off' } },
    );
    expect(await openTasks(loanId)).toEqual([]);
    expect(await row(loanId)).toMatchObject({ status: 'written_off', written_off_fen: 110_000, outstanding_fen: 0, earliest_unpaid_due: null });

    const other = newLoanId();
    await a.loan(other, loanOpened({ ...ids, loanId: other, schemeId, fundId, householdId: 'hh-p6' }), disbursed, {
      type: 'HardshipReported',
      data: { hardshipId: 'h-flood', cause: 'disaster', proposal: 'deferral', deferMonths: 3, reportedBy: 'u-village', note: 'flood' },
    });
    await a.loan(other, { type: 'HardshipRejected', data: { hardshipId: 'h-flood', rejectedBy: 'u-town', reason: 'the house was not flooded' } });
    expect(await openTasks(other)).toEqual([]);
  });

  it('refuses a row whose books do not add up, whatever the code does', async () => {
    const loanId = newLoanId();
    await a.loan(loanId, loanOpened({ ...ids, loanId, schemeId, fundId, householdId: 'hh-p7' }), disbursed);
    await expect(db.pool.query('UPDATE loans SET repaid_fen = 10 WHERE loan_id = $1', [loanId])).rejects.toMatchObject({
      code: '23514',
      constraint: 'loan_books',
    });
    await expect(db.pool.query('UPDATE loans SET repaid_fen = 120000, outstanding_fen = -10000 WHERE loan_id = $1', [loanId])).rejects.toMatchObject({
      code: '23514',
    });
    // An overpayment appended past the decider fails the append: nothing of it is stored.
    await expect(a.loan(loanId, repaid('rp-over', 120_000, '2026-05-01'))).rejects.toMatchObject({ code: '23514' });
    expect(await listRepayments(db.pool, loanId)).toEqual([]);
  });
});
