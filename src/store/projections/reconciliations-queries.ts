import type { Queryable } from '../db';

/** The fund's latest reconciliation outcome (projection: reconciliations.ts); none until one has run. */
export async function lastReconciliationOf(db: Queryable, fundId: string) {
  return (
    await db.query<{ date: string; at: Date; matched: number; mismatches: number }>(
      'SELECT date, at, matched, mismatches FROM reconciliations WHERE fund_id = $1 ORDER BY at DESC LIMIT 1',
      [fundId],
    )
  ).rows[0];
}
