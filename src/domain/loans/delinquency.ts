/**
 * How late a loan is. Repayments (and a write-off) cover instalments earliest due first; a loan
 * is past due from the due day of the first instalment they do not wholly cover, once the
 * grace days after it have run out. Buckets as in microfinance: 1–30, 31–60, 61–90, >90 days.
 */
import { addDays, daysBetween } from './calendar';
import type { LoanState } from './loan';
import { unpaidParts } from './schedule';
import type { DelinquencyBucket } from './terms';

/** What the money owed is counted from (the read model's row has these too). */
type Owing = Pick<LoanState, 'schedule' | 'repaidFen' | 'writtenOffFen'>;

const coveredFen = (state: Owing) => state.repaidFen + state.writtenOffFen;

/** The due day of the first instalment not wholly covered by what was repaid or written off. */
export function earliestUnpaidDue(state: Owing): string | undefined {
  return unpaidParts(state.schedule, coveredFen(state)).find((s) => s.unpaidFen > 0)?.dueDate;
}

/** What should have been repaid by the end of `day` and was not (never below 0). */
export function owedBy(state: Owing, day: string): number {
  const due = state.schedule.filter((s) => s.dueDate <= day).reduce((sum, s) => sum + s.amountFen, 0);
  return Math.max(0, due - coveredFen(state));
}

/**
 * Days since the first unpaid instalment fell due; 0 while the grace days run (up to and
 * including due day + graceDays) and for a closed loan.
 */
export function daysPastDue(state: LoanState, today: string): number {
  if (state.status !== 'active') return 0;
  const due = earliestUnpaidDue(state);
  if (!due || today <= addDays(due, state.graceDays)) return 0;
  return daysBetween(due, today);
}

export function bucketOf(daysPastDue: number): DelinquencyBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return '1-30';
  if (daysPastDue <= 60) return '31-60';
  if (daysPastDue <= 90) return '61-90';
  return '90+';
}
