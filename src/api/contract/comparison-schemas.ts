import { z } from 'zod';
import { REFERENCE_SOURCES } from '../../domain/comparison/sources';
import { IntakeCsvBody, IntakeXlsxBody } from './intake-schemas';
import { CaseIdParams } from './schemas';
import { prose } from './text';

/** The comparison step (比对): reference lists and the queries they raise on cases. */

/** Largest reference list accepted at once (a county's register of vehicles or public employees fits). */
export const MAX_REFERENCE_ROWS = 50_000;

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

export const ImportReferenceListQuery = z.object({
  source: z
    .enum(REFERENCE_SOURCES)
    .describe('public_employees 财政供养人员, vehicles 车辆, urban_property 城镇房产, business_registrations 工商注册, deaths 死亡'),
  date: IsoDate.describe('the date the department drew up the list'),
  county: z
    .string()
    .regex(/^\d{6}$/, 'a 6-digit county code')
    .optional()
    .describe("the county the list is for; the official's own county (the default) is the only one allowed"),
});

export const ReferenceListJsonBody = z.object({
  idNumbers: z.array(z.string().max(40)).min(1).max(MAX_REFERENCE_ROWS).describe('the ID numbers on the list; each is checked, then kept only as a keyed hash'),
});

export const ReferenceListCsvBody = IntakeCsvBody.describe(
  'CSV (UTF-8 or GB18030): a header naming the ID column 身份证号 (or id_number, 公民身份号码); other columns (names, dates) are ignored and not stored',
);
export const ReferenceListXlsxBody = IntakeXlsxBody.describe(
  'an Excel workbook (.xlsx); its first sheet is read like the CSV: a header row, then one person per row',
);

export const ReferenceListIdParams = z.object({ listId: z.string().regex(/^rl-[0-9a-f]{32}$/, 'a reference list id') });

export const ReferenceListsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });

export const ReferenceListView = z.object({
  listId: z.string(),
  county: z.string(),
  source: z.enum(REFERENCE_SOURCES),
  sourceLabel: z.string().describe('the source in Chinese'),
  listDate: z.string(),
  format: z.enum(['csv', 'xlsx', 'json']),
  entries: z.number().int().describe('people on the list (distinct ID numbers)'),
  importedBy: z.string(),
  importedAt: z.string().describe('ISO 8601 UTC time'),
  comparison: z
    .object({ casesCompared: z.number().int(), hits: z.number().int(), comparedAt: z.string() })
    .nullable()
    .describe("the comparison of the county's open applications against the list, once it has run (null until then)"),
});
export type ReferenceListViewT = z.infer<typeof ReferenceListView>;
export const ReferenceListListView = z.object({ items: z.array(ReferenceListView) });

export const QueryResolutionParams = CaseIdParams.extend({ queryId: z.string().regex(/^q-[0-9a-f]{32}$/, 'a query id') });
export const QueryResolutionBody = z.object({
  outcome: z.enum(['cleared', 'confirmed']).describe('cleared: the hit does not make the household ineligible; confirmed: it does, and the case ends rejected'),
  reason: prose(2000).describe('what the town verified'),
});
