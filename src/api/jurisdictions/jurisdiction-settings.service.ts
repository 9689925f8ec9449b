import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import type { CasePolicy } from '../../domain/case';
import { contains } from '../../domain/jurisdiction';
import { durationMs } from '../../domain/time';
import { policyFor } from '../../store/jurisdiction-settings';
import type { AuthUser } from '../auth/user';
import type { SettingsBody } from '../contract/jurisdiction-routes';
import { forbidden, notFound, problem } from '../http/problem';
import { CONFIG, PG_POOL } from '../tokens';

@Injectable()
export class JurisdictionSettingsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject(CONFIG) private readonly config: Config) {}

  /** The policy a new case in this place gets: the most specific setting, else the configured default. */
  policyFor(code: string): Promise<CasePolicy> {
    return policyFor(this.pool, code, this.config);
  }

  async get(user: AuthUser, code: string) {
    if (!contains(user.jurisdiction, code) && !contains(code, user.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    return { code, ...(await this.policyFor(code)) };
  }

  async set(user: AuthUser, code: string, body: z.infer<typeof SettingsBody>) {
    if (!contains(user.jurisdiction, code)) throw forbidden('that jurisdiction is outside yours');
    this.assertWithinBounds(body);
    const known = await this.pool.query('SELECT 1 FROM jurisdictions WHERE code = $1', [code]);
    if (!known.rowCount) throw notFound('the jurisdiction');
    await this.pool.query(
      `INSERT INTO jurisdiction_settings (code, publicity_period, stage_time_limit, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET publicity_period = coalesce(EXCLUDED.publicity_period, jurisdiction_settings.publicity_period),
         stage_time_limit = coalesce(EXCLUDED.stage_time_limit, jurisdiction_settings.stage_time_limit), updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [code, body.publicityPeriod ?? null, body.stageTimeLimit ?? null, user.userId]);
    return { code, ...(await this.policyFor(code)) };
  }

  /** The configured range (issue #8: `PT0S` or `P99999999999D` must not reach a case); a 400 naming each field outside it. */
  private assertWithinBounds(body: z.infer<typeof SettingsBody>): void {
    const errors = (['publicityPeriod', 'stageTimeLimit'] as const).flatMap((field) => {
      const value = body[field];
      const { min, max, minMs, maxMs } = this.config.settingBounds[field];
      if (value === undefined) return [];
      const ms = durationMs(value); // valid: the route schema checked it
      return ms < minMs || ms > maxMs ? [{ path: `body.${field}`, message: `from ${min} to ${max}` }] : [];
    });
    if (errors.length) throw problem(400, 'validation', `the request body is not valid: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
}
