import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors';
import type { LoanCommand } from '../../../src/domain/loans/commands';
import { OverpaymentError, decideLoan, loanDecider, type LoanState } from '../../../src/domain/loans/loan';
import {
  OTHER_VILLAGE,
  actor,
  cashier,
  countyOfficial,
  countyOfficial2,
  fundManager,
  refusal,
  seedTerms,
  townOfficial,
  villageOfficial,
  villageOfficial2,
} from './fixtures';
import { apply, applyAll, openLoan, paidLoan, types } from './loan-helpers';

type Repay = Extract<LoanCommand, { type: 'RecordRepayment' }>;
const repay = (repaymentId: string, amountFen: number, over: Partial<Repay> = {}): Repay => ({
  type: 'RecordRepayment',
  repaymentId,
  amountFen,
  method: 'cash',
  reference: `R-${repaymentId}`,
  receivedOn: '2026-11-20',
  actor: villageOfficial,
  ...over,
});
const hardship = (over: Partial<Extract<LoanCommand, { type: 'ReportHardship' }>> = {}): LoanCommand => ({
  type: 'ReportHardship',
  hardshipId: 'h-1',
  cause: 'animal_died',
  evidenceHash: 'b'.repeat(64),
  proposal: 'write_off',
  note: 'the cow died of anthrax; certificate of the county veterinary station',
  actor: villageOfficial,
  ...over,
});
const decide = (approve: boolean, a = countyOfficial, over: Partial<Extract<LoanCommand, { type: 'DecideHardship' }>> = {}): LoanCommand => ({
  type: 'DecideHardship',
  hardshipId: 'h-1',
  approve,
  reason: approve ? 'certificate checked' : 'no certificate',
  actor: a,
  today: '2026-11-25',
  ...over,
});

describe('opening and paying out a loan', () => {
  it('opens with the payout: LoanOpened and LoanDisbursed with the schedule, principal owed', () => {
    const events = decideLoan(openLoan({ paidOn: '2026-03-10' }), undefined);
    expect(types(events)).toEqual(['LoanOpened', 'LoanDisbursed']);
    const s = applyAll(undefined, [openLoan({ paidOn: '2026-03-10' })]);
    expect(s).toMatchObject({ status: 'active', principalFen: 110_000, outstandingFen: 110_000, paidOn: '2026-03-10', termsVersion: 1 });
    expect(s.schedule).toEqual(paidLoan().schedule);
    expect(loanDecider.streamType).toBe('loan');
    expect(loanDecider.initialState()).toBeUndefined();
  });

  it('a retried opening or payout decides nothing; another payout day is refused', () => {
    const s = paidLoan();
    expect(decideLoan(openLoan(), s)).toEqual([]);
    expect(decideLoan({ type: 'RecordDisbursed', paidOn: '2026-03-10' }, s)).toEqual([]);
    expect(refusal(() => decideLoan({ type: 'RecordDisbursed', paidOn: '2026-03-11' }, s)).code).toBe('invalid');
    expect(refusal(() => decideLoan(openLoan({ loanId: 'loan-2' }), s)).code).toBe('wrong_stage');
  });

  it('refuses repayments before the payout settled, and anything on an unknown loan', () => {
    const opened = applyAll(undefined, [openLoan()]);
    expect(refusal(() => decideLoan(repay('r1', 100), opened)).code).toBe('wrong_stage');
    expect(refusal(() => decideLoan(repay('r1', 100), undefined)).code).toBe('not_found');
    expect(refusal(() => decideLoan({ type: 'CancelLoan', reason: 'x' }, opened)).code).toBe('invalid');
  });
});

describe('repayments', () => {
  const loan = paidLoan();

  it('records partial and early repayments; the one that pays off what is owed closes the loan', () => {
    let s = apply(loan, repay('r1', 30_000, { receivedOn: '2026-04-01' }));
    expect(s).toMatchObject({ repaidFen: 30_000, outstandingFen: 80_000, status: 'active' });
    const events = decideLoan(repay('r2', 80_000), s);
    expect(events).toEqual([expect.objectContaining({ type: 'RepaymentRecorded' }), { type: 'LoanClosed', data: { closedOn: '2026-11-20', how: 'repaid' } }]);
    s = apply(s, repay('r2', 80_000));
    expect(s).toMatchObject({ status: 'repaid', outstandingFen: 0, closedOn: '2026-11-20' });
  });

  it('is idempotent by repaymentId: the same again decides nothing, another amount under it is refused', () => {
    const s = apply(loan, repay('r1', 30_000));
    expect(decideLoan(repay('r1', 30_000), s)).toEqual([]);
    expect(refusal(() => decideLoan(repay('r1', 31_000), s)).code).toBe('invalid');
    // Even after the loan closed, the retry of the repayment that closed it is harmless.
    const closed = apply(s, repay('r2', 80_000));
    expect(decideLoan(repay('r2', 80_000), closed)).toEqual([]);
  });

  it('refuses an overpayment, saying how much is owed', () => {
    const s = apply(loan, repay('r1', 30_000));
    const e = refusal(() => decideLoan(repay('r2', 80_001), s));
    expect(e).toBeInstanceOf(OverpaymentError);
    expect(e.code).toBe('invalid');
    expect((e as OverpaymentError).outstandingFen).toBe(80_000);
    expect(e.message).toContain('only 80000 fen (800.00 yuan) is owed');
  });

  it('refuses a repayment to a closed loan', () => {
    const closed = apply(loan, repay('r1', 110_000));
    expect(refusal(() => decideLoan(repay('r2', 1), closed)).code).toBe('case_closed');
  });

  it.each([
    ['a float', { amountFen: 100.5 }],
    ['a negative amount', { amountFen: -100 }],
    ['zero', { amountFen: 0 }],
    ['no receipt number', { reference: ' ' }],
    ['a day that is not one', { receivedOn: '2026-02-30' }],
    ['a day before the payout', { receivedOn: '2026-03-09' }],
  ] as [string, Partial<Repay>][])('refuses %s', (_label, over) => {
    expect(refusal(() => decideLoan(repay('r1', 100, over), loan)).code).toBe('invalid');
  });

  it("cash is recorded by the village's official or a cashier; a bank transfer by the fund manager too", () => {
    expect(types(decideLoan(repay('r1', 100, { actor: cashier }), loan))).toEqual(['RepaymentRecorded']);
    expect(refusal(() => decideLoan(repay('r1', 100, { actor: fundManager }), loan)).code).toBe('forbidden');
    expect(types(decideLoan(repay('r1', 100, { actor: fundManager, method: 'bank_transfer', reference: 'BK-1' }), loan))).toEqual(['RepaymentRecorded']);
    expect(refusal(() => decideLoan(repay('r1', 100, { actor: townOfficial }), loan)).code).toBe('forbidden');
    expect(refusal(() => decideLoan(repay('r1', 100, { actor: actor('v-9', 'village_official', OTHER_VILLAGE) }), loan)).code).toBe('forbidden');
  });
});

describe('repayment in kind', () => {
  const value = (a = villageOfficial, amountFen = 60_000): LoanCommand => ({
    type: 'ValueInKind',
    valuationId: 'val-1',
    amountFen,
    description: 'a heifer calf, 8 months',
    receivedOn: '2026-10-01',
    actor: a,
  });
  const confirm = (a = villageOfficial2): LoanCommand => ({ type: 'ConfirmInKind', valuationId: 'val-1', repaymentId: 'r-kind', actor: a });

  it('counts once a second official confirms the valuation', () => {
    let s = apply(paidLoan(), value());
    expect(s).toMatchObject({ repaidFen: 0, pendingValuations: [expect.objectContaining({ valuationId: 'val-1', valuedBy: 'v-1' })] });
    expect(decideLoan(confirm(), s)).toEqual([
      {
        type: 'RepaymentRecorded',
        data: {
          repaymentId: 'r-kind',
          amountFen: 60_000,
          method: 'in_kind',
          reference: 'val-1',
          receivedOn: '2026-10-01',
          recordedBy: 'v-2',
          inKind: { description: 'a heifer calf, 8 months', valuedBy: 'v-1', confirmedBy: 'v-2' },
        },
      },
    ]);
    s = apply(s, confirm());
    expect(s).toMatchObject({ repaidFen: 60_000, outstandingFen: 50_000, pendingValuations: [] });
    expect(decideLoan(confirm(), s)).toEqual([]);
  });

  it('the valuer may not confirm their own valuation', () => {
    const s = apply(paidLoan(), value());
    expect(refusal(() => decideLoan(confirm(villageOfficial), s)).code).toBe('forbidden');
    expect(types(decideLoan(confirm(townOfficial), s))).toEqual(['RepaymentRecorded']);
  });

  it('only when the terms allow it, and never above what is owed', () => {
    expect(refusal(() => decideLoan(value(), paidLoan(seedTerms({ inKindAllowed: false })))).code).toBe('invalid');
    expect(refusal(() => decideLoan(value(villageOfficial, 110_001), paidLoan()))).toBeInstanceOf(OverpaymentError);
  });

  it('a rejected valuation never counts', () => {
    let s = apply(paidLoan(), value());
    s = apply(s, { type: 'RejectInKind', valuationId: 'val-1', reason: 'the calf is sick', actor: townOfficial });
    expect(s.pendingValuations).toEqual([]);
    expect(refusal(() => decideLoan(confirm(), s)).code).toBe('not_found');
  });
});

describe('reversal of a mistaken repayment', () => {
  const reverse = (repaymentId = 'r1', reason = 'receipt R-17 was entered twice'): LoanCommand => ({
    type: 'ReverseRepayment',
    repaymentId,
    reason,
    actor: townOfficial,
  });

  it('is a correcting entry; the original stays, the amount is owed again; twice is refused', () => {
    let s = apply(paidLoan(), repay('r1', 30_000));
    s = apply(s, reverse());
    expect(s).toMatchObject({ repaidFen: 0, outstandingFen: 110_000 });
    expect(s.repayments).toEqual([
      expect.objectContaining({ repaymentId: 'r1', amountFen: 30_000, reversed: { reason: 'receipt R-17 was entered twice', reversedBy: 't-1' } }),
    ]);
    expect(refusal(() => decideLoan(reverse(), s)).code).toBe('invalid');
    expect(refusal(() => decideLoan(reverse('r9'), s)).code).toBe('not_found');
    expect(refusal(() => decideLoan(reverse('r1', ' '), apply(paidLoan(), repay('r1', 30_000)))).code).toBe('invalid');
  });

  it('needs a second official: whoever recorded the repayment may not reverse it alone (histories from before the rule decide as they were)', () => {
    const s = apply(paidLoan(), repay('r1', 30_000));
    type Reverse = Extract<LoanCommand, { type: 'ReverseRepayment' }>;
    const byRecorder: Reverse = { ...(reverse() as Reverse), actor: villageOfficial, secondOfficial: true };
    const refused = refusal(() => decideLoan(byRecorder, s));
    expect([refused.code, refused.message]).toEqual(['forbidden', expect.stringContaining('a second official must reverse a repayment')]);
    expect(types(decideLoan({ ...byRecorder, actor: villageOfficial2 }, s))).toEqual(['RepaymentReversed']);
    expect(types(decideLoan({ ...byRecorder, actor: cashier }, s))).toEqual(['RepaymentReversed']);
    expect(types(decideLoan({ ...byRecorder, secondOfficial: undefined }, s))).toEqual(['RepaymentReversed']);
  });

  it('reopens a loan it had closed', () => {
    const closed = apply(paidLoan(), repay('r1', 110_000));
    expect(types(decideLoan(reverse(), closed))).toEqual(['RepaymentReversed', 'LoanReopened']);
    const s = apply(closed, reverse());
    expect(s.status).toBe('active');
    expect(s.closedOn).toBeUndefined();
    expect(s.outstandingFen).toBe(110_000);
  });
});

describe('reminders', () => {
  const remind = (instalment: number): LoanCommand => ({ type: 'IssueReminder', instalment, today: '2026-12-01' });

  it('once per unpaid instalment, stating what is owed by its due day', () => {
    const s = apply(paidLoan(), repay('r1', 20_000));
    expect(decideLoan(remind(1), s)).toEqual([{ type: 'ReminderIssued', data: { instalment: 1, dueDate: '2026-12-31', outstandingFen: 35_000 } }]);
    const reminded = apply(s, remind(1));
    expect(decideLoan(remind(1), reminded)).toEqual([]);
    expect(refusal(() => decideLoan(remind(3), reminded)).code).toBe('not_found');
  });

  it('a reminder for an instalment already paid decides nothing', () => {
    expect(decideLoan(remind(1), apply(paidLoan(), repay('r1', 55_000)))).toEqual([]);
  });
});

describe('hardship', () => {
  const deferral = hardship({
    hardshipId: 'h-1',
    cause: 'illness',
    evidenceHash: undefined,
    proposal: 'deferral',
    deferMonths: 6,
    note: 'in hospital since May',
  });

  it('a deferral is the town’s decision: the unpaid instalments move', () => {
    const s = applyAll(paidLoan(), [repay('r1', 55_000), deferral]);
    expect(refusal(() => decideLoan(decide(true, countyOfficial), s)).code).toBe('forbidden');
    const events = decideLoan(decide(true, townOfficial), s);
    expect(events).toEqual([
      {
        type: 'DeferralGranted',
        data: {
          hardshipId: 'h-1',
          approvedBy: 't-1',
          schedule: [
            { n: 1, dueDate: '2026-12-31', amountFen: 55_000 },
            { n: 2, dueDate: '2028-06-30', amountFen: 55_000 },
          ],
        },
      },
    ]);
    const granted = apply(s, decide(true, townOfficial));
    expect(granted.schedule[1].dueDate).toBe('2028-06-30');
    expect(granted.hardships[0].status).toBe('granted');
    expect(refusal(() => decideLoan(decide(true, townOfficial), granted)).code).toBe('forbidden'); // deciding twice
  });

  it('a write-off needs two different county officials, neither the reporter; the second writes off what is owed', () => {
    const reportedByTown = hardship({ actor: townOfficial });
    let s = applyAll(paidLoan(), [repay('r1', 30_000), reportedByTown]);
    expect(refusal(() => decideLoan(decide(true, townOfficial), s)).code).toBe('forbidden'); // not a county official
    expect(types(decideLoan(decide(true), s))).toEqual(['WriteOffApproved']);
    s = apply(s, decide(true));
    expect(s.status).toBe('active');
    expect(refusal(() => decideLoan(decide(true), s)).code).toBe('forbidden'); // the same approver again
    expect(decideLoan(decide(true, countyOfficial2), s)).toEqual([
      { type: 'WriteOffApproved', data: { hardshipId: 'h-1', approvedBy: 'c-2' } },
      { type: 'LoanWrittenOff', data: { hardshipId: 'h-1', amountFen: 80_000, approvers: ['c-1', 'c-2'] } },
      { type: 'LoanClosed', data: { closedOn: '2026-11-25', how: 'written_off' } },
    ]);
    s = apply(s, decide(true, countyOfficial2));
    expect(s).toMatchObject({ status: 'written_off', writtenOffFen: 80_000, outstandingFen: 0, repaidFen: 30_000 });
    expect(refusal(() => decideLoan(repay('r2', 1), s)).code).toBe('case_closed');
  });

  it('the reporter may not decide (separation of duties)', () => {
    const reporter = actor('c-1', 'county_official', '522701');
    const s = apply(paidLoan(), hardship({ actor: { ...villageOfficial, userId: 'c-1' } }));
    expect(refusal(() => decideLoan(decide(true, reporter), s)).message).toContain('reported');
  });

  it('any eligible rejection ends it; then another hardship may be reported', () => {
    let s = applyAll(paidLoan(), [hardship(), decide(true)]);
    expect(refusal(() => decideLoan(hardship({ hardshipId: 'h-2' }), s)).code).toBe('invalid'); // one open at a time
    s = apply(s, decide(false, countyOfficial2));
    expect(s.hardships[0].status).toBe('rejected');
    expect(refusal(() => decideLoan(decide(true, actor('c-3', 'county_official', '522701')), s)).code).toBe('wrong_stage');
    expect(types(decideLoan(hardship({ hardshipId: 'h-2' }), s))).toEqual(['HardshipReported']);
  });

  it('is reported by the village or town, with a valid proposal', () => {
    const s = paidLoan();
    expect(refusal(() => decideLoan(hardship({ actor: countyOfficial }), s)).code).toBe('forbidden');
    expect(refusal(() => decideLoan(hardship({ proposal: 'deferral', deferMonths: 25 }), s)).code).toBe('invalid');
    expect(refusal(() => decideLoan(hardship({ proposal: 'deferral' }), s)).code).toBe('invalid');
    expect(refusal(() => decideLoan(hardship({ evidenceHash: 'not-a-hash' }), s)).code).toBe('invalid');
    expect(decideLoan(hardship(), apply(s, hardship()))).toEqual([]); // a retried report
  });
});

describe('after a deferral or a write-off', () => {
  it('a deferred instalment is reminded again before its new due day', () => {
    const remind = (instalment: number): LoanCommand => ({ type: 'IssueReminder', instalment, today: '2026-12-01' });
    const deferral = hardship({ cause: 'illness', evidenceHash: undefined, proposal: 'deferral', deferMonths: 3 });
    let s = applyAll(paidLoan(), [remind(1), deferral, decide(true, townOfficial)]);
    expect(s.schedule[0].dueDate).toBe('2027-03-31');
    expect(decideLoan(remind(1), s)).toEqual([{ type: 'ReminderIssued', data: { instalment: 1, dueDate: '2027-03-31', outstandingFen: 55_000 } }]);
    s = apply(s, remind(1));
    expect(decideLoan(remind(1), s)).toEqual([]);
  });

  it('a written-off loan takes no reversal; without a day given it closes on its last known day', () => {
    const events = decideLoan(decide(true, countyOfficial2, { today: undefined }), applyAll(paidLoan(), [repay('r1', 10_000), hardship(), decide(true)]));
    expect(events.at(-1)).toEqual({ type: 'LoanClosed', data: { closedOn: '2026-11-20', how: 'written_off' } });
    const s = applyAll(paidLoan(), [repay('r1', 10_000), hardship(), decide(true), decide(true, countyOfficial2)]);
    const reverse: LoanCommand = { type: 'ReverseRepayment', repaymentId: 'r1', reason: 'mistake', actor: townOfficial };
    expect(refusal(() => decideLoan(reverse, s)).code).toBe('case_closed');
    expect(decideLoan({ type: 'Close', today: '2027-01-01' }, s)).toEqual([]);
  });

  it('Close refuses a loan that still owes', () => {
    expect(refusal(() => decideLoan({ type: 'Close', today: '2027-01-01' }, paidLoan())).message).toContain('still owes 110000 fen');
  });
});

describe('the loan’s money', () => {
  it('repaid + written off + outstanding = principal, never below 0, whatever repayments and reversals come', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('repay' as const), fen: fc.integer({ min: 1, max: 60_000 }), id: fc.nat(20) }),
      fc.record({ kind: fc.constant('reverse' as const), fen: fc.constant(0), id: fc.nat(20) }),
      fc.record({ kind: fc.constant('writeOff' as const), fen: fc.constant(0), id: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let s = paidLoan();
        for (const st of steps) {
          const commands: LoanCommand[] =
            st.kind === 'repay'
              ? [repay(`r${st.id}`, st.fen)]
              : st.kind === 'reverse'
                ? [{ type: 'ReverseRepayment', repaymentId: `r${st.id}`, reason: 'entered in error', actor: townOfficial }]
                : [
                    hardship({ hardshipId: `h${st.id}` }),
                    decide(true, countyOfficial, { hardshipId: `h${st.id}` }),
                    decide(true, countyOfficial2, { hardshipId: `h${st.id}` }),
                  ];
          for (const c of commands) {
            try {
              s = apply(s, c);
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              break;
            }
          }
          expect(s.repaidFen + s.writtenOffFen + s.outstandingFen).toBe(s.principalFen);
          expect(s.outstandingFen).toBeGreaterThanOrEqual(0);
          expect(s.status === 'active').toBe(s.outstandingFen > 0);
          const live = s.repayments.filter((r) => !r.reversed).reduce((sum, r) => sum + r.amountFen, 0);
          expect(live).toBe(s.repaidFen);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('folding', () => {
  it('never changes the state it was given', () => {
    const before: LoanState = paidLoan();
    const copy = JSON.parse(JSON.stringify(before));
    apply(before, repay('r1', 30_000));
    expect(before).toEqual(copy);
  });
});
