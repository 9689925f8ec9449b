import { z } from 'zod';
import { parseDuration } from '../../domain/time';
import type { RouteSpec } from './route-spec';

/**
 * Syntax and the domain's ceiling (100 years) here, so a huge duration is a 400 and never a
 * deadline no Date can hold; the configured range (PUBLICITY_PERIOD_MIN/MAX,
 * STAGE_TIME_LIMIT_MIN/MAX) is checked by the service, which has the config.
 */
const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, { message: 'an ISO 8601 duration such as P7D', abort: true })
  .refine((s) => parseDuration(s) !== undefined, 'at most 100 years');
export const JurisdictionParams = z.object({ code: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) code') });
export const SettingsBody = z
  .object({
    publicityPeriod: isoDuration
      .optional()
      .describe('how long each publicity period runs for cases here: 1 to 60 days unless configured otherwise (PUBLICITY_PERIOD_MIN, PUBLICITY_PERIOD_MAX)'),
    stageTimeLimit: isoDuration
      .optional()
      .describe(
        'how long a case may wait at a human stage before it counts as stalled: 1 to 180 days unless configured otherwise (STAGE_TIME_LIMIT_MIN, STAGE_TIME_LIMIT_MAX)',
      ),
    escalateAfter: isoDuration
      .optional()
      .describe('issue #13: a step past its time limit is reminded, then after this interval goes to the town, after another to the county (1 to 60 days)'),
  })
  .refine(
    (b) => b.publicityPeriod !== undefined || b.stageTimeLimit !== undefined || b.escalateAfter !== undefined,
    'give publicityPeriod, stageTimeLimit, escalateAfter or several',
  );
export const SettingsView = z.object({
  code: z.string(),
  publicityPeriod: z.string().describe('in force for new cases here: the most specific setting of village, town, county, else the default'),
  stageTimeLimit: z.string(),
  escalateAfter: z.string(),
});

export const jurisdictionRoutes = {
  getSettings: {
    method: 'get',
    path: '/jurisdictions/{code}/settings',
    tag: 'jurisdictions',
    summary: 'The procedure settings in force in a jurisdiction',
    access: ['village_official', 'town_official', 'county_official', 'supervisor', 'auditor'],
    params: JurisdictionParams,
    success: { status: 200, description: 'effective settings', schema: SettingsView },
    errors: [401, 403],
  },
  setSettings: {
    method: 'post',
    path: '/jurisdictions/{code}/settings',
    tag: 'jurisdictions',
    summary: "Set a jurisdiction's publicity period or stage time limit (applies to new cases)",
    access: ['county_official'],
    params: JurisdictionParams,
    body: SettingsBody,
    idempotent: true,
    example: { publicityPeriod: 'P10D' },
    success: { status: 200, description: 'effective settings after the change', schema: SettingsView },
    errors: [400, 401, 403, 404],
  },
} satisfies Record<string, RouteSpec>;
