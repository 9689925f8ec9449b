import type { Pool } from 'pg';
import type { CasePolicy } from '../domain/case';
import { parseDuration } from '../domain/time';

/** Every enclosing code of a jurisdiction, most specific first. */
const enclosing = (code: string) => [code, code.slice(0, 9), code.slice(0, 6)].filter((c, i, all) => c.length >= 6 && all.indexOf(c) === i);

/**
 * The policy a new case in this place gets: the most specific setting, else the configured
 * default. Read by the API (single applications, GET settings) and the intake activities.
 */
export async function policyFor(pool: Pool, code: string, defaults: CasePolicy): Promise<CasePolicy> {
  const rows = (await pool.query<{ publicity_period: string | null; stage_time_limit: string | null }>(
    'SELECT publicity_period, stage_time_limit FROM jurisdiction_settings WHERE code = ANY($1) ORDER BY length(code) DESC', [enclosing(code)])).rows;
  // A value no deadline can be computed from (stored before settings were bounded) is passed over.
  const usable = (v: string | null): v is string => v !== null && parseDuration(v) !== undefined;
  return {
    publicityPeriod: rows.map((r) => r.publicity_period).find(usable) ?? defaults.publicityPeriod,
    stageTimeLimit: rows.map((r) => r.stage_time_limit).find(usable) ?? defaults.stageTimeLimit,
  };
}
