/** A portfolio's risk figures over many loans (the scheme summary, supervision). */
import type { DelinquencyBucket } from './terms';

export interface LoanRisk {
  outstandingFen: number;
  daysPastDue: number;
}

/** Portfolio at risk: the outstanding of loans more than `days` past due, in basis points of all outstanding (PAR30). */
export function portfolioAtRisk(loans: LoanRisk[], days = 30): number {
  void [loans, days];
  throw new Error('TODO');
}

/** Per bucket: how many loans and how much outstanding. */
export function bucketTotals(loans: LoanRisk[]): Record<DelinquencyBucket, { loans: number; outstandingFen: number }> {
  void loans;
  throw new Error('TODO');
}
