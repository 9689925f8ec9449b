import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { schemeSummary } from '../store/projections/loan-schemes-queries';
import { getLoan, listLoans, overdueLoansByVillage, repaymentsCsvRows } from '../store/projections/loans-queries';
import { LOAN_BENCH, seedLoans } from './seed-loans';
import { SETTINGS } from './settings';
import { timeIt } from './timing';

const LOANS = SETTINGS.loans;
const RUNS = SETTINGS.queryRuns;

/** Revolving loans (issue #10): one scheme of 100,000 loans (BENCH_LOANS) over 5 cycles; its reads, as the API calls them. */
export async function benchLoans(pool: Pool): Promise<void> {
  process.stdout.write(`\nseeding a scheme of ${LOANS} loans over ${LOAN_BENCH.cycles} cycles, their repayments and the pool's books…\n`);
  const s0 = Date.now();
  await seedLoans(pool, LOANS);
  const { schemeId, county, village, today } = LOAN_BENCH;
  const counts = (
    await pool.query<{ repayments: number; running: number }>(
      `SELECT (SELECT count(*)::int FROM loan_repayments) AS repayments, (SELECT count(*)::int FROM loans WHERE status = 'active') AS running`,
    )
  ).rows[0];
  const summary = await schemeSummary(pool, schemeId, today);
  if (!summary) throw new Error('the bench scheme was not seeded');
  process.stdout.write(
    `  seeded in ${((Date.now() - s0) / 1000).toFixed(1)} s: ${counts.repayments} repayments, ${counts.running} loans running; buckets at ${today}: ` +
      `${summary.buckets.map((b) => `${b.bucket} ${b.loans}`).join(', ')}; PAR30 ${(summary.par30Bp / 100).toFixed(2)}%\n`,
  );

  process.stdout.write(`\nloans (${LOANS.toLocaleString('en-US')} in one scheme), ${RUNS} runs each (load average ${loadavg()[0].toFixed(1)}):\n`);
  await timeIt('scheme summary (figures, buckets, batches, books)', () => schemeSummary(pool, schemeId, today), RUNS);
  await timeIt('overdue loans by village and bucket: county-wide', () => overdueLoansByVillage(pool, county, today), RUNS);
  await timeIt('loans in bucket 31-60: one village, first page of 20', () => listLoans(pool, village, { bucket: '31-60', today, limit: 21 }), RUNS);
  await timeIt('loans in bucket 31-60: county-wide, first page of 20', () => listLoans(pool, county, { bucket: '31-60', today, limit: 21 }), RUNS);
  // A different loan each run, spread over the whole scheme (not one row kept hot in cache).
  const ids = (await pool.query<{ loan_id: string }>('SELECT loan_id FROM loans TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT $1', [RUNS + 1])).rows;
  let n = 0;
  const someLoan = () => ids[n++ % ids.length].loan_id;
  await timeIt('a loan by id (row and its whole state)', () => getLoan(pool, someLoan(), today), RUNS);
  await timeIt('repayments CSV: one village, every row', () => repaymentsCsvRows(pool, schemeId, village), RUNS);
  await timeIt('repayments CSV: county-wide, first page of 1,000', () => repaymentsCsvRows(pool, schemeId, county, { after: null, limit: 1000 }), RUNS);
}
