/** How late a loan is: past-due days counted from the first unpaid instalment, and its bucket. */
import type { LoanState } from './loan';
import type { DelinquencyBucket } from './terms';

export function earliestUnpaidDue(state: LoanState): string | undefined {
  void state;
  throw new Error('TODO');
}

export function owedBy(state: LoanState, day: string): number {
  void [state, day];
  throw new Error('TODO');
}

export function daysPastDue(state: LoanState, today: string): number {
  void [state, today];
  throw new Error('TODO');
}

export function bucketOf(daysPastDue: number): DelinquencyBucket {
  void daysPastDue;
  throw new Error('TODO');
}
