/**
 * Issue #13 at the scale: 100,000 enrolled households and 20,000 helpers in one county
 * (10 towns, 100 villages), 97% of households paired, two visits each in the past year, one in
 * eight out of contact (last visit over 90 days ago), half with an effective help plan. Seeded
 * by bulk SQL straight into the read models the reports read (what the engine's projections
 * would have written); then the coverage report, the lost-contact list and the quarterly
 * assessment are timed through the API, as the county's supervisor opens them.
 */
import type { Pool } from 'pg';
import type { EngineApi } from './clients';
import { SETTINGS } from './settings';
import { timeIt, type Percentiles } from './timing';

export const HELP_BENCH = { households: SETTINGS.quick ? 10_000 : 100_000, helpers: SETTINGS.quick ? 2_000 : 20_000 };

/** The places, helpers (users and profiles), households, pairings, visits and plans; idempotent per database. */
export async function seedHelp(pool: Pool, n = HELP_BENCH): Promise<void> {
  await pool.query(`
    INSERT INTO jurisdictions (code, name, level, parent_code)
    SELECT '522701' || (100 + t), 'Bench town ' || t, 'town', '522701' FROM generate_series(0, 9) t
    ON CONFLICT (code) DO NOTHING;
    INSERT INTO jurisdictions (code, name, level, parent_code, population)
    SELECT '522701' || (100 + t) || (200 + v), 'Bench village ' || t || '-' || v, 'village', '522701' || (100 + t), 4000 + 37 * v
      FROM generate_series(0, 9) t, generate_series(0, 9) v
    ON CONFLICT (code) DO NOTHING;`);
  await pool.query(
    `INSERT INTO users (user_id, name, role, jurisdiction, token_hash)
     SELECT 'bench-helper-' || g, 'Bench helper ' || g, 'helper', '522701', 'bench-helper-token-' || g FROM generate_series(1, $1) g
     ON CONFLICT (user_id) DO NOTHING`,
    [n.helpers],
  );
  await pool.query(
    `INSERT INTO helpers (user_id, rank, unit, jurisdiction, registered_at, updated_at)
     SELECT 'bench-helper-' || g, CASE WHEN g % 100 = 0 THEN 'county_leader' WHEN g % 10 = 0 THEN 'department_leader' ELSE 'cadre' END,
            'Bench unit ' || (g % 126), '522701', now() - interval '3 years', now() - interval '3 years'
       FROM generate_series(1, $1) g
     ON CONFLICT (user_id) DO NOTHING`,
    [n.helpers],
  );
  await pool.query(
    `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at)
     SELECT 'hh-bench-' || g, '522701' || (100 + g % 10) || (200 + (g / 10) % 10),
            '[{"relation":"head"},{"relation":"spouse"},{"relation":"child"}]'::jsonb, ARRAY['bench-' || g], 'enrolled', 'case-bench-' || g, now()
       FROM generate_series(1, $1) g
     ON CONFLICT (household_id) DO NOTHING`,
    [n.households],
  );
  // Every 33rd household has no helper yet (the coverage gaps); an eighth of the rest are out of contact.
  await pool.query(
    `INSERT INTO pairings (pairing_id, household_id, helper_id, village, status, paired_at, paired_by, last_visit_at, lost_contact_since)
     SELECT 'pair-bench-' || g, 'hh-bench-' || g, 'bench-helper-' || (1 + g % $2), '522701' || (100 + g % 10) || (200 + (g / 10) % 10), 'active',
            now() - interval '2 years' - (g % 400) * interval '1 day', 'town-heping',
            now() - (CASE WHEN g % 8 = 0 THEN 91 + g % 200 ELSE g % 90 END) * interval '1 day',
            CASE WHEN g % 8 = 0 THEN now() - interval '1 day' END
       FROM generate_series(1, $1) g WHERE g % 33 <> 0
     ON CONFLICT (pairing_id) DO NOTHING`,
    [n.households, n.helpers],
  );
  await pool.query(
    `INSERT INTO visits (visit_id, household_id, helper_id, village, kind, visited_at, recorded_at)
     SELECT 'visit-bench-' || p.household_id || '-' || k, p.household_id, p.helper_id, p.village, (ARRAY['routine','festival'])[k],
            p.last_visit_at - (k - 1) * interval '120 days', p.last_visit_at
       FROM pairings p, generate_series(1, 2) k WHERE p.pairing_id LIKE 'pair-bench-%'
     ON CONFLICT (visit_id) DO NOTHING`,
  );
  await pool.query(
    `INSERT INTO help_plans (household_id, village, plan_hash, version, status, money_needed, signed_by, effective_at, updated_at)
     SELECT household_id, village, md5(household_id), 1, CASE WHEN right(household_id, 1) IN ('0','2','4','6','8') THEN 'effective' ELSE 'draft' END,
            160000, '{}', now() - interval '30 days', now() - interval '30 days'
       FROM households WHERE household_id LIKE 'hh-bench-%'
     ON CONFLICT (household_id) DO NOTHING`,
  );
  await pool.query('ANALYZE households; ANALYZE pairings; ANALYZE visits; ANALYZE help_plans; ANALYZE helpers');
}

export interface HelpReportFigures {
  coverage: Percentiles;
  lostContact: Percentiles;
  assessment: Percentiles;
}

export async function benchHelpReports(api: EngineApi, pool: Pool): Promise<HelpReportFigures> {
  process.stdout.write(`\nhelp and reports (issue #13): seeding ${HELP_BENCH.households} households and ${HELP_BENCH.helpers} helpers…\n`);
  const s0 = Date.now();
  await seedHelp(pool);
  process.stdout.write(`  seeded in ${((Date.now() - s0) / 1000).toFixed(1)} s\n`);
  const runs = SETTINGS.queryRuns;
  const get = (path: string) => () => api.call('GET', path, 'supervisor');
  const coverage = await timeIt('GET /pairings/coverage (county supervisor)', get('/pairings/coverage'), runs);
  await timeIt('GET /pairings/coverage?jurisdiction=town', get('/pairings/coverage?jurisdiction=522701105'), runs);
  const lostContact = await timeIt('GET /pairings/lost-contact (county supervisor)', get('/pairings/lost-contact'), runs);
  const assessment = await timeIt('GET /reports/assessment (county supervisor)', get('/reports/assessment'), runs);
  await timeIt('GET /reports/assessment?format=xlsx', get('/reports/assessment?format=xlsx'), runs);
  await timeIt('GET /reports/progress (county supervisor)', get('/reports/progress'), runs);
  await timeIt('GET /helpers?belowQuota=true (county supervisor)', get('/helpers?belowQuota=true'), runs);
  return { coverage, lostContact, assessment };
}
