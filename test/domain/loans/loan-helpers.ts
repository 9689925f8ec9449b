/** A loan folded from its commands, as the store would fold it. */
import type { LoanCommand } from '../../../src/domain/loans/commands';
import { decideLoan, evolveLoan, type LoanState } from '../../../src/domain/loans/loan';
import type { LoanEvent } from '../../../src/domain/loans/events';
import type { LoanTerms } from '../../../src/domain/loans/terms';
import { location, seedTerms } from './fixtures';

export function apply(s: LoanState | undefined, c: LoanCommand): LoanState {
  const events = decideLoan(c, s);
  return events.reduce<LoanState | undefined>((st, e) => evolveLoan(st, e), s) as LoanState;
}

export function applyAll(s: LoanState | undefined, cs: LoanCommand[]): LoanState {
  return cs.reduce<LoanState | undefined>((st, c) => apply(st, c), s) as LoanState;
}

export const openLoan = (over: Partial<Extract<LoanCommand, { type: 'OpenLoan' }>> = {}, terms: LoanTerms = seedTerms()): LoanCommand => ({
  type: 'OpenLoan',
  loanId: 'loan-1',
  schemeId: 'scheme-1',
  batchId: 'batch-1',
  fundId: 'fund-1',
  household: { householdId: 'hh-1', location: location() },
  terms,
  termsVersion: 1,
  disbursementId: 'disb-1',
  ...over,
});

/** The seed loan, paid out on 10 March 2026. */
export const paidLoan = (terms: LoanTerms = seedTerms()): LoanState =>
  applyAll(undefined, [openLoan({}, terms), { type: 'RecordDisbursed', paidOn: '2026-03-10' }]);

export const types = (events: LoanEvent[]) => events.map((e) => e.type);
