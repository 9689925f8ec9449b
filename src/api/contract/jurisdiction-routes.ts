import { z } from 'zod';
import type { RouteSpec } from './route-spec';

const isoDuration = z.string().regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as P7D');
export const JurisdictionParams = z.object({ code: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) code') });
export const SettingsBody = z.object({
  publicityPeriod: isoDuration.optional().describe('how long each publicity period runs for cases here'),
  stageTimeLimit: isoDuration.optional().describe('how long a case may wait at a human stage before it counts as stalled'),
}).refine((b) => b.publicityPeriod !== undefined || b.stageTimeLimit !== undefined, 'give publicityPeriod, stageTimeLimit or both');
export const SettingsView = z.object({
  code: z.string(),
  publicityPeriod: z.string().describe('in force for new cases here: the most specific setting of village, town, county, else the default'),
  stageTimeLimit: z.string(),
});

export const jurisdictionRoutes = {
  getSettings: {
    method: 'get', path: '/jurisdictions/{code}/settings', tag: 'jurisdictions', summary: 'The procedure settings in force in a jurisdiction',
    access: ['village_official', 'town_official', 'county_official', 'supervisor', 'auditor'], params: JurisdictionParams,
    success: { status: 200, description: 'effective settings', schema: SettingsView }, errors: [401, 403],
  },
  setSettings: {
    method: 'post', path: '/jurisdictions/{code}/settings', tag: 'jurisdictions', summary: 'Set a jurisdiction\'s publicity period or stage time limit (applies to new cases)',
    access: ['county_official'], params: JurisdictionParams, body: SettingsBody, idempotent: true,
    example: { publicityPeriod: 'P10D' },
    success: { status: 200, description: 'effective settings after the change', schema: SettingsView }, errors: [400, 401, 403, 404],
  },
} satisfies Record<string, RouteSpec>;
