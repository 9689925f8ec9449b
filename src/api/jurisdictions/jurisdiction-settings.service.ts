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
import { jurisdictionExists } from '../../directory/directory';
import { saveSettings } from '../../store/jurisdiction-settings';
import { CONFIG, PG_POOL } from '../tokens';

@Injectable()
export class JurisdictionSettingsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The policy a new case in this place gets: the most specific setting, else the configured default. */
  policyFor(code: string): Promise<Required<CasePolicy>> {
    return policyFor(this.pool, code, this.config);
  }

  async get(user: AuthUser, code: string) {
    if (!contains(user.jurisdiction, code) && !contains(code, user.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    return { code, ...(await this.policyFor(code)) };
  }

  async set(user: AuthUser, code: string, body: z.infer<typeof SettingsBody>) {
    if (!contains(user.jurisdiction, code)) throw forbidden('that jurisdiction is outside yours');
    this.assertWithinBounds(body);
    if (!(await jurisdictionExists(this.pool, code))) throw notFound('the jurisdiction');
    await saveSettings(this.pool, {
      code,
      publicityPeriod: body.publicityPeriod,
      stageTimeLimit: body.stageTimeLimit,
      escalateAfter: body.escalateAfter,
      updatedBy: user.userId,
    });
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
    // Escalation steps a day apart at least (the timers' granularity people can act on), two months at most.
    const escalate = body.escalateAfter === undefined ? undefined : durationMs(body.escalateAfter);
    if (escalate !== undefined && (escalate < 86_400_000 || escalate > 60 * 86_400_000))
      errors.push({ path: 'body.escalateAfter', message: 'from P1D to P60D' });
    if (errors.length) throw problem(400, 'validation', `the request body is not valid: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
}
