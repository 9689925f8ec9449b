/** A portfolio's risk figures over many loans (the scheme summary, supervision). */
import { bucketOf } from './delinquency';
import { DELINQUENCY_BUCKETS, type DelinquencyBucket } from './terms';

export interface LoanRisk {
  outstandingFen: number;
  daysPastDue: number;
}

/**
 * Portfolio at risk: the outstanding of loans more than `days` days past due, in basis points
 * of all outstanding (PAR30 by default; 0 when nothing is outstanding). Rounded down.
 */
export function portfolioAtRisk(loans: LoanRisk[], days = 30): number {
  let total = 0n;
  let atRisk = 0n;
  for (const l of loans) {
    total += BigInt(l.outstandingFen);
    if (l.daysPastDue > days) atRisk += BigInt(l.outstandingFen);
  }
  return total === 0n ? 0 : Number((atRisk * 10_000n) / total);
}

/** Per bucket: how many loans and how much they still owe (every bucket present, empty ones at 0). */
export function bucketTotals(loans: LoanRisk[]): Record<DelinquencyBucket, { loans: number; outstandingFen: number }> {
  const totals = Object.fromEntries(DELINQUENCY_BUCKETS.map((b) => [b, { loans: 0, outstandingFen: 0 }])) as Record<
    DelinquencyBucket,
    { loans: number; outstandingFen: number }
  >;
  for (const l of loans) {
    const t = totals[bucketOf(l.daysPastDue)];
    t.loans += 1;
    t.outstandingFen += l.outstandingFen;
  }
  return totals;
}
