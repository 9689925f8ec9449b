import type { Pool } from 'pg';
import { SETTINGS } from './settings';
import { timeIt as timeRuns } from './timing';

const timeIt = (label: string, fn: () => Promise<unknown>) => timeRuns(label, fn, SETTINGS.queryRuns);

/**
 * Open cases (100k by default) spread over 1 county, 10 towns, 100 villages and every stage, a
 * third overdue. Each row's state is `template` (the state of a case the engine made, so the API
 * reads them as its own) with this case's id, place, stage and times.
 */
export async function seedCases(pool: Pool, cases: number, template: object): Promise<void> {
  await pool.query(
    `
    WITH g AS (
      SELECT 'case-' || lpad(g::text, 36, '0') AS case_id, 'hh_' || g AS household_id, 'u' || g AS applicant_id, '522701' AS county,
             '522701' || lpad((100 + g % 10)::text, 3, '0') AS town,
             '522701' || lpad((100 + g % 10)::text, 3, '0') || lpad((200 + (g / 10) % 10)::text, 3, '0') AS village,
             (ARRAY['village_evaluation','village_publicity','town_audit','town_publicity','county_approval'])[1 + g % 5] AS stage,
             CASE WHEN g % 7 = 0 THEN 'enrolled' ELSE 'open' END AS status,
             now() - (g % 60) * interval '1 day' AS opened_at, now() - (g % 30) * interval '1 day' AS stage_entered_at,
             now() + (10 - g % 30) * interval '1 day' AS stage_due_at
      FROM generate_series(1, $1) g)
    INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state, household_hash,
                       opened_at, stage_entered_at, stage_due_at, version, updated_at)
    SELECT case_id, household_id, applicant_id, county, town, village, stage, status, $2::jsonb -> 'household',
           $2::jsonb || jsonb_build_object('caseId', case_id, 'householdId', household_id, 'applicantId', applicant_id,
             'location', jsonb_build_object('county', county, 'town', town, 'village', village), 'stage', stage, 'status', status,
             'stageEnteredAt', to_char(stage_entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'stageDueAt', to_char(stage_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'version', 2),
           $2::jsonb ->> 'householdHash', opened_at, stage_entered_at, stage_due_at, 2, now()
    FROM g`,
    [cases, template],
  );
  await pool.query(`
    INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, roles, jurisdiction, household_hash, round, created_at, due_at, status)
    SELECT 'task-' || c.case_id, 'case', c.case_id, 'decision', c.stage,
           ARRAY[(ARRAY['village_official','town_official','county_official'])[1 + (row_number() OVER ()) % 3]],
           c.village, 'h', '', c.stage_entered_at, c.stage_due_at, 'open'
    FROM cases c WHERE c.status = 'open' AND c.case_id ~ '^case-[0-9]{36}$' -- the seeded ones (the engine's ids are UUIDs)
  `);
  await pool.query('ANALYZE');
}

/** Supervision and inbox queries over the seeded cases, as SQL (the list endpoints' own figures are in api-lists.ts). */
export async function benchCaseQueries(pool: Pool): Promise<void> {
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
}
