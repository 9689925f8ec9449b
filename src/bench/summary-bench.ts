/**
 * The supervision summary over a seeded county: the scan of open cases it used to be against
 * the totals of migration 016, and what the totals' triggers add to a case write. Figures, not
 * pass/fail. Expects a migrated database without cases (run-bench.ts's, or summary-bench-cli.ts).
 */
import type { Pool, PoolClient } from 'pg';
import { openCasesSummary, type OpenCasesSummaryRow } from '../store/projections/open-cases-summary';
import { seedCases } from './seed-cases';
import { timeIt } from './timing';

const COUNTY = '522701';
const TOWN = '522701105';
const RUNS = 100;

/** The summary before migration 016: a scan of the scope's open cases (index-only on cases_open_summary_idx). */
async function scanSummary(pool: Pool, q: { jurisdiction: string; now: Date; by: 'town' | 'village' }): Promise<OpenCasesSummaryRow[]> {
  const scope = q.jurisdiction.length === 6 ? 'county' : q.jurisdiction.length === 9 ? 'town' : 'village';
  const column = q.by === 'village' ? 'village' : 'town';
  return (
    await pool.query<OpenCasesSummaryRow>(
      `SELECT stage, ${column} AS place, count(*)::int AS open,
            count(*) FILTER (WHERE stage_due_at < $1)::int AS overdue,
            extract(epoch FROM avg($1 - stage_entered_at))::float8 AS avg_age,
            extract(epoch FROM max($1 - stage_entered_at))::float8 AS max_age
     FROM cases WHERE status = 'open' AND ${scope} = $2
     GROUP BY stage, ${column} ORDER BY ${column}, stage`,
      [q.now, q.jurisdiction],
    )
  ).rows;
}

const QUERIES = [
  { label: 'county by stage and town', jurisdiction: COUNTY, by: 'town' },
  { label: 'one town by stage and village', jurisdiction: TOWN, by: 'village' },
  { label: 'county by stage and village', jurisdiction: COUNTY, by: 'village' },
] as const;

/** Same rows, counts, overdue and oldest; the mean within PostgreSQL's last-microsecond rounding. */
function sameAnswer(a: OpenCasesSummaryRow[], b: OpenCasesSummaryRow[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.stage === b[i].stage &&
        r.place === b[i].place &&
        r.open === b[i].open &&
        r.overdue === b[i].overdue &&
        r.max_age === b[i].max_age &&
        Math.abs(r.avg_age - b[i].avg_age) <= 1.001e-6,
    )
  );
}

export async function benchSummary(pool: Pool, cases: number, shape: 'bench' | 'spread' = 'bench'): Promise<void> {
  process.stdout.write(`\nsupervision summary: seeding ${cases} cases (${shape} shape), triggers keeping the totals…\n`);
  const s0 = Date.now();
  await seedCases(pool, cases, shape);
  const groups = (
    await pool.query<{ g: number; d: number }>('SELECT (SELECT count(*) FROM open_case_groups)::int AS g, (SELECT count(*) FROM open_case_due_days)::int AS d')
  ).rows[0];
  process.stdout.write(`  seeded in ${((Date.now() - s0) / 1000).toFixed(1)} s; ${groups.g} (village, stage) totals, ${groups.d} due-day buckets\n`);

  for (const q of QUERIES) {
    const now = new Date();
    const same = sameAnswer(await openCasesSummary(pool, { ...q, now }), await scanSummary(pool, { ...q, now }));
    process.stdout.write(`  ${q.label}: totals answer as the scan: ${same ? 'yes' : 'NO'}\n`);
  }

  // The scan as it ran before 016, on the index 016 dropped (put back for these runs only).
  await pool.query(
    `CREATE INDEX cases_open_summary_idx ON cases (county, stage, town, village) INCLUDE (stage_due_at, stage_entered_at) WHERE status = 'open'`,
  );
  await pool.query('VACUUM ANALYZE cases');
  process.stdout.write(`  queries (${RUNS} runs each, after VACUUM ANALYZE):\n`);
  for (const q of QUERIES) await timeIt(`scan (before 016): ${q.label}`, () => scanSummary(pool, { ...q, now: new Date() }), RUNS);
  await pool.query('DROP INDEX cases_open_summary_idx');
  for (const q of QUERIES) await timeIt(`totals (016): ${q.label}`, () => openCasesSummary(pool, { ...q, now: new Date() }), RUNS);

  await benchCaseWrites(pool);
}

const UPSERT_SET = `ON CONFLICT (case_id) DO UPDATE SET
       stage = EXCLUDED.stage, status = EXCLUDED.status, household = EXCLUDED.household, state = EXCLUDED.state,
       household_hash = EXCLUDED.household_hash, reason = EXCLUDED.reason,
       stage_entered_at = EXCLUDED.stage_entered_at, stage_due_at = EXCLUDED.stage_due_at,
       version = EXCLUDED.version, updated_at = now()`;

/**
 * A case's upsert as the projector writes it (writeCase): `move` the case to another stage,
 * rewrite it in the `same` stage (a new state only: an objection, a vote), or a `new` case.
 */
async function upsertCase(c: PoolClient, caseId: string, kind: 'move' | 'same' | 'new', n: number): Promise<void> {
  if (kind === 'same') {
    await c.query(
      `INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state,
         household_hash, reason, opened_at, stage_entered_at, stage_due_at, holder, version, updated_at)
       SELECT case_id, household_id, applicant_id, county, town, village, stage, status, household, $2,
              household_hash, reason, opened_at, stage_entered_at, stage_due_at, NULL, version + 1, now()
         FROM cases WHERE case_id = $1
       ${UPSERT_SET}`,
      [caseId, { n }],
    );
    return;
  }
  const stage = kind === 'move' ? (n % 2 === 0 ? 'town_publicity' : 'county_approval') : 'village_evaluation';
  await c.query(
    `INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state,
       household_hash, reason, opened_at, stage_entered_at, stage_due_at, holder, version, updated_at)
     VALUES ($1, $1, $1, '522701', '522701105', '522701105203', $2, 'open', '{}', $3, 'h', NULL, now(), $4,
             $4::timestamptz + interval '15 days', NULL, $5, now())
     ${UPSERT_SET}`,
    [caseId, stage, { n }, new Date(Date.now() - n * 1000).toISOString(), n],
  );
}

/**
 * Milliseconds of one case upsert with the totals' triggers, without them (a session in
 * replica mode fires no ordinary trigger), and without them nor 016's two probe indexes but
 * with the index 016 dropped (the write path before 016). Each upsert in its own transaction,
 * rolled back so the three variants write the same rows; in rounds, so noise falls on all three.
 */
async function benchCaseWrites(pool: Pool): Promise<void> {
  const ids = (await pool.query<{ case_id: string }>("SELECT case_id FROM cases WHERE status = 'open' AND town = '522701105' LIMIT 400")).rows.map(
    (r) => r.case_id,
  );
  const variants = [
    { label: 'with the totals triggers (016)', replica: false, before016: false },
    { label: 'without the triggers', replica: true, before016: false },
    { label: 'before 016 (no triggers; its indexes as before)', replica: true, before016: true },
  ];
  const times = new Map<string, number[]>();
  const client = await pool.connect();
  try {
    for (let round = 0; round < 4; round++) {
      for (const v of variants) {
        await client.query(`SET session_replication_role = ${v.replica ? 'replica' : 'origin'}`);
        await client.query('BEGIN');
        if (v.before016) {
          await client.query('DROP INDEX cases_open_town_entered_idx, cases_open_village_entered_idx');
          await client.query(
            `CREATE INDEX cases_open_summary_idx ON cases (county, stage, town, village) INCLUDE (stage_due_at, stage_entered_at) WHERE status = 'open'`,
          );
        }
        for (const kind of ['move', 'same', 'new'] as const) {
          const key = `${kind}: ${v.label}`;
          const ms = times.get(key) ?? [];
          for (let i = 0; i < ids.length; i++) {
            await client.query('SAVEPOINT w');
            const t0 = process.hrtime.bigint();
            await upsertCase(client, kind === 'new' ? `case-bench-new-${i}` : ids[i], kind, round * ids.length + i);
            ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
            await client.query('ROLLBACK TO SAVEPOINT w');
          }
          times.set(key, ms);
        }
        await client.query('ROLLBACK');
      }
    }
  } finally {
    await client.query('SET session_replication_role = origin').catch(() => undefined);
    client.release();
  }
  process.stdout.write(`  case upserts (${ids.length} × 4 rounds each, each rolled back to a savepoint):\n`);
  for (const [key, ms] of times) {
    ms.sort((a, b) => a - b);
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    const p = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)].toFixed(3);
    process.stdout.write(`    ${key.padEnd(62)} mean ${mean.toFixed(3)} ms   p50 ${p(0.5)} ms   p99 ${p(0.99)} ms\n`);
  }
}
