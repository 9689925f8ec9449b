import { batchEventKey, loanEventKey, poolFundMoveKey, schemeEventKey } from '../../../src/domain/loans/event-keys';
import type { LoanEvent } from '../../../src/domain/loans/events';
import { decideLoan, evolveLoan, type LoanState } from '../../../src/domain/loans/loan';
import { countyOfficial, countyOfficial2, townOfficial, villageOfficial } from './fixtures';
import { openLoan } from './loan-helpers';

describe('idempotency keys of the loan streams', () => {
  it('a whole loan life stores no key twice, even closed, reopened and closed again', () => {
    const keys: string[] = [];
    let s: LoanState | undefined;
    let version = 0;
    const run = (c: Parameters<typeof decideLoan>[0]) => {
      for (const e of decideLoan(c, s) as LoanEvent[]) {
        version += 1;
        keys.push(loanEventKey('loan-1', e, version));
        s = evolveLoan(s, e);
      }
    };
    const repay = (id: string, amountFen: number) =>
      run({ type: 'RecordRepayment', repaymentId: id, amountFen, method: 'cash', reference: id, receivedOn: '2026-11-01', actor: villageOfficial });
    run(openLoan({ paidOn: '2026-03-10' }));
    run({ type: 'IssueReminder', instalment: 1, today: '2026-12-01' });
    repay('r1', 110_000);
    run({ type: 'ReverseRepayment', repaymentId: 'r1', reason: 'twice', actor: townOfficial });
    repay('r2', 110_000);
    run({ type: 'ReverseRepayment', repaymentId: 'r2', reason: 'wrong loan', actor: townOfficial });
    run({ type: 'ReportHardship', hardshipId: 'h1', cause: 'disaster', proposal: 'write_off', note: 'flood', actor: villageOfficial });
    run({ type: 'DecideHardship', hardshipId: 'h1', approve: true, reason: 'ok', actor: countyOfficial, today: '2027-02-01' });
    run({ type: 'DecideHardship', hardshipId: 'h1', approve: true, reason: 'ok', actor: countyOfficial2, today: '2027-02-01' });
    expect(keys.filter((k) => k.includes('closed'))).toHaveLength(3);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keys the scheme, batch and pool moves by their ids', () => {
    expect(schemeEventKey('scheme-1', { type: 'BatchSettled', data: { batchId: 'b-1', loansPaid: 1, paidFen: 1 } })).toBe('scheme-1:batch:b-1:settled');
    expect(batchEventKey('batch-1', { type: 'LoanIssued', data: { householdId: 'hh-1', loanId: 'l', disbursementId: 'd' } })).toBe('batch-1:loan:hh-1');
    expect(poolFundMoveKey('fund-1', { type: 'Recovered', data: { loanId: 'l-1', repaymentId: 'r-1', amountFen: 1, method: 'cash' } })).toBe(
      'fund-1:recovery:l-1:r-1',
    );
    expect(() => poolFundMoveKey('fund-1', { type: 'Deposited', data: { amountFen: 1, source: 'budget', reference: 'x' } })).toThrow();
  });
});
