/**
 * Benchmarks (figures, not pass/fail): supervision and inbox queries over 100k cases, the reads
 * of a revolving scheme of 100k loans (bench-loans.ts), and event-store append and read throughput. Run with `npm run bench` (starts its own Postgres).
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import type { Pool } from 'pg';
import { loadConfig } from '../config/config';
import { createPool } from '../store/db';
import { EventStore } from '../store/event-store';
import { migrate } from '../store/migrate';
import { benchLoans } from './bench-loans';
import { timeIt as timeRuns } from './timing';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const RUNS = 30;

const timeIt = (label: string, fn: () => Promise<unknown>) => timeRuns(label, fn, RUNS);

/** 100k open cases spread over 1 county, 10 towns, 100 villages and every stage, a third overdue. */
async function seedCases(pool: Pool): Promise<void> {
  await pool.query(
    `
    INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state, household_hash,
                       opened_at, stage_entered_at, stage_due_at, version, updated_at)
    SELECT 'case-' || lpad(g::text, 36, '0'), 'hh_' || g, 'u' || g, '522701',
           '522701' || lpad((100 + g % 10)::text, 3, '0'),
           '522701' || lpad((100 + g % 10)::text, 3, '0') || lpad((200 + (g / 10) % 10)::text, 3, '0'),
           (ARRAY['village_evaluation','village_publicity','town_audit','town_publicity','county_approval'])[1 + g % 5],
           CASE WHEN g % 7 = 0 THEN 'enrolled' ELSE 'open' END, '{}', '{}', 'h',
           now() - (g % 60) * interval '1 day', now() - (g % 30) * interval '1 day', now() + (10 - g % 30) * interval '1 day', 2, now()
    FROM generate_series(1, $1) g`,
    [CASES],
  );
  await pool.query(`
    INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, roles, jurisdiction, household_hash, round, created_at, due_at, status)
    SELECT 'task-' || c.case_id, 'case', c.case_id, 'decision', c.stage,
           ARRAY[(ARRAY['village_official','town_official','county_official'])[1 + (row_number() OVER ()) % 3]],
           c.village, 'h', '', c.stage_entered_at, c.stage_due_at, 'open'
    FROM cases c WHERE c.status = 'open'`);
  await pool.query('ANALYZE');
}

async function benchStore(pool: Pool): Promise<void> {
  const store = new EventStore(pool);
  const streams = 200;
  const perStream = 10;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let s = w; s < streams; s += 8) {
        const id = `bench-${randomUUID()}`;
        for (let v = 0; v < perStream; v++) {
          await store.append(id, 'bench', v === 0 ? 'no_stream' : v, [
            { type: 'Tick', actor: 'bench', idempotencyKey: `${id}#${v + 1}`, data: { v, amountFen: 1234 } },
          ]);
        }
      }
    }),
  );
  const appended = streams * perStream;
  const secs = (Date.now() - t0) / 1000;
  process.stdout.write(`  appends: ${appended} single-event appends, 8 concurrent writers: ${(appended / secs).toFixed(0)} events/s\n`);
  const r0 = Date.now();
  let cursor: string | undefined;
  let read = 0;
  for (;;) {
    const page = await store.readAll(cursor, 1000);
    if (page.events.length === 0) break;
    read += page.events.length;
    cursor = page.cursor;
  }
  process.stdout.write(`  readAll: ${read} events in global order: ${(read / ((Date.now() - r0) / 1000)).toFixed(0)} events/s\n`);
}

async function main(): Promise<void> {
  const pool = createPool(loadConfig().databaseUrl, 12);
  try {
    await migrate(pool);
    // Figures depend on what else runs: say how busy the machine was.
    process.stdout.write(`machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}\n`);
    process.stdout.write(`seeding ${CASES} cases and their open tasks…\n`);
    const s0 = Date.now();
    await seedCases(pool);
    process.stdout.write(`  seeded in ${((Date.now() - s0) / 1000).toFixed(1)} s\n\nqueries (${RUNS} runs each):\n`);
    await timeIt('stalled: county-wide, first page of 20', () =>
      pool.query(`SELECT case_id FROM cases WHERE status = 'open' AND stage_due_at < now() AND county = '522701' ORDER BY stage_due_at, case_id LIMIT 21`),
    );
    await timeIt('stalled: one town, one stage, first page of 20', () =>
      pool.query(
        `SELECT case_id FROM cases WHERE status = 'open' AND stage_due_at < now() AND town = '522701105' AND stage = 'town_audit' ORDER BY stage_due_at, case_id LIMIT 21`,
      ),
    );
    await timeIt('summary: county by stage and town', () =>
      pool.query(
        `SELECT stage, town, count(*), count(*) FILTER (WHERE stage_due_at < now()), avg(now() - stage_entered_at), max(now() - stage_entered_at)
       FROM cases WHERE status = 'open' AND county = '522701' GROUP BY stage, town`,
      ),
    );
    await timeIt('summary: one town by stage and village', () =>
      pool.query(
        `SELECT stage, village, count(*), count(*) FILTER (WHERE stage_due_at < now()), avg(now() - stage_entered_at), max(now() - stage_entered_at)
       FROM cases WHERE status = 'open' AND town = '522701105' GROUP BY stage, village`,
      ),
    );
    await timeIt('task inbox: a village official, first page of 20', () =>
      pool.query(
        `SELECT task_id FROM tasks WHERE status = 'open' AND village = '522701105203' AND 'village_official' = ANY(roles) ORDER BY created_at, task_id LIMIT 21`,
      ),
    );
    await timeIt('task inbox: a county official, first page of 20', () =>
      pool.query(
        `SELECT task_id FROM tasks WHERE status = 'open' AND county = '522701' AND 'county_official' = ANY(roles) ORDER BY created_at, task_id LIMIT 21`,
      ),
    );
    await benchLoans(pool);
    process.stdout.write('\nevent store:\n');
    await benchStore(pool);
  } finally {
    await pool.end();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
