import { ESCALATE_AFTER_DEFAULT, type CasePolicy } from '../domain/case';
import type { ApprovalPolicy } from '../domain/funds/approval-escalation';
import { parseDuration } from '../domain/time';
import type { Queryable } from './db';

/**
 * Per-jurisdiction overrides of the case policy (migration 008), written by the API (PUT
 * /jurisdictions/{code}/settings), not projected from events.
 */

/** Every enclosing code of a jurisdiction, most specific first. */
const enclosing = (code: string) => [code, code.slice(0, 9), code.slice(0, 6)].filter((c, i, all) => c.length >= 6 && all.indexOf(c) === i);

/** The settings stored for these codes, most specific (longest code) first. */
export async function settingsFor(db: Queryable, codes: string[]) {
  return (
    await db.query<{ publicity_period: string | null; stage_time_limit: string | null; escalate_after: string | null }>(
      'SELECT publicity_period, stage_time_limit, escalate_after FROM jurisdiction_settings WHERE code = ANY($1) ORDER BY length(code) DESC',
      [codes],
    )
  ).rows;
}

/**
 * The policy a new case in this place gets: the most specific setting, else the configured
 * default. Read by the API (single applications, GET settings) and the intake activities.
 */
export async function policyFor(db: Queryable, code: string, defaults: CasePolicy): Promise<Required<CasePolicy>> {
  const rows = await settingsFor(db, enclosing(code));
  // A value no deadline can be computed from (stored before settings were bounded) is passed over.
  const usable = (v: string | null): v is string => v !== null && parseDuration(v) !== undefined;
  return {
    publicityPeriod: rows.map((r) => r.publicity_period).find(usable) ?? defaults.publicityPeriod,
    stageTimeLimit: rows.map((r) => r.stage_time_limit).find(usable) ?? defaults.stageTimeLimit,
    escalateAfter: rows.map((r) => r.escalate_after).find(usable) ?? defaults.escalateAfter ?? ESCALATE_AFTER_DEFAULT,
  };
}

/** Issue #13: the limits a payout's approval steps are held to, from the payee's place (as a case there). */
export async function approvalPolicyFor(db: Queryable, village: string, defaults: CasePolicy): Promise<ApprovalPolicy> {
  const p = await policyFor(db, village, defaults);
  return { timeLimit: p.stageTimeLimit, escalateAfter: p.escalateAfter };
}

/** Stores the values given; a value left out keeps what was stored. */
export async function saveSettings(
  db: Queryable,
  s: { code: string; publicityPeriod?: string; stageTimeLimit?: string; escalateAfter?: string; updatedBy: string },
): Promise<void> {
  await db.query(
    `INSERT INTO jurisdiction_settings (code, publicity_period, stage_time_limit, updated_by, escalate_after) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (code) DO UPDATE SET publicity_period = coalesce(EXCLUDED.publicity_period, jurisdiction_settings.publicity_period),
       stage_time_limit = coalesce(EXCLUDED.stage_time_limit, jurisdiction_settings.stage_time_limit),
       escalate_after = coalesce(EXCLUDED.escalate_after, jurisdiction_settings.escalate_after), updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [s.code, s.publicityPeriod ?? null, s.stageTimeLimit ?? null, s.updatedBy, s.escalateAfter ?? null],
  );
}
