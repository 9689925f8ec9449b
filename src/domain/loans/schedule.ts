/**
 * A loan's repayment schedule from its terms: when each instalment falls due and how many fen.
 * Pure calendar arithmetic on 'YYYY-MM-DD' days (UTC); money in integer fen.
 */
import type { LoanTerms, ScheduledInstalment } from './terms';

/** Refuses terms that cannot make a schedule (DomainError `invalid`, naming the field). */
export function validateTerms(terms: LoanTerms): void {
  void terms;
  throw new Error('TODO');
}

/** The schedule of a loan of `principalFen` paid out on `paidOn`. */
export function scheduleFor(terms: LoanTerms, principalFen: number, paidOn: string): ScheduledInstalment[] {
  void [terms, principalFen, paidOn];
  throw new Error('TODO');
}

/** A deferral: every instalment not yet covered by `repaidFen` moves `months` later. */
export function deferSchedule(schedule: ScheduledInstalment[], repaidFen: number, months: number): ScheduledInstalment[] {
  void [schedule, repaidFen, months];
  throw new Error('TODO');
}
