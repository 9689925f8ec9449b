import type { Pool } from 'pg';

/**
 * Cases (and their open tasks) written set-based straight into the read models, for the
 * supervision and inbox benchmarks; the triggers of migration 016 keep the summary totals in step
 * as they would for any writer.
 *
 * `bench` (run-bench.ts's shape): 1 county, 10 towns, 100 villages, every stage, a seventh
 * enrolled, ages 0–29 days, due from 19 days ago to 10 days ahead (a third overdue). Its stage
 * follows the town (g % 5 of g % 10), and every case entered at the seed's time of day.
 * `spread`: the same places, but every stage in every village and times spread to the
 * microsecond, which is the harder case for the totals (more groups, more day buckets).
 */
export async function seedCases(pool: Pool, cases: number, shape: 'bench' | 'spread' = 'bench'): Promise<void> {
  const stage =
    shape === 'bench'
      ? `(ARRAY['village_evaluation','village_publicity','town_audit','town_publicity','county_approval'])[1 + g % 5]`
      : `(ARRAY['village_evaluation','village_publicity','town_audit','town_publicity','county_approval','exit_verification','exit_publicity'])[1 + (g / 100) % 7]`;
  const entered = shape === 'bench' ? `now() - (g % 30) * interval '1 day'` : `now() - random() * interval '40 days'`;
  const due = shape === 'bench' ? `now() + (10 - g % 30) * interval '1 day'` : `e.entered + (ARRAY[7, 15, 15, 30])[1 + g % 4] * interval '1 day'`;
  await pool.query(
    `
    INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state, household_hash,
                       opened_at, stage_entered_at, stage_due_at, version, updated_at)
    SELECT 'case-' || lpad(g::text, 36, '0'), 'hh_' || g, 'u' || g, '522701',
           '522701' || lpad((100 + g % 10)::text, 3, '0'),
           '522701' || lpad((100 + g % 10)::text, 3, '0') || lpad((200 + (g / 10) % 10)::text, 3, '0'),
           ${stage},
           CASE WHEN g % 7 = 0 THEN 'enrolled' ELSE 'open' END, '{}', '{}', 'h',
           now() - (g % 60) * interval '1 day', e.entered, ${due}, 2, now()
    FROM (SELECT g, ${entered} AS entered FROM generate_series(1, $1) g) e`,
    [cases],
  );
  await pool.query(`
    INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, roles, jurisdiction, household_hash, round, created_at, due_at, status)
    SELECT 'task-' || c.case_id, 'case', c.case_id, 'decision', c.stage,
           ARRAY[(ARRAY['village_official','town_official','county_official'])[1 + (row_number() OVER ()) % 3]],
           c.village, 'h', '', c.stage_entered_at, c.stage_due_at, 'open'
    FROM cases c WHERE c.status = 'open'`);
  await pool.query('ANALYZE');
}
