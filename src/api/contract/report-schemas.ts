import { z } from 'zod';
import { JurisdictionCode } from './auth-schemas';
import { exportTypes } from './export-schemas';

const Format = z
  .enum(['json', 'csv', 'xlsx'])
  .default('json')
  .describe('json, or the report as a file: csv (UTF-8 with a BOM) or xlsx; Chinese headers with English in brackets');

export const ProgressQuery = z.object({
  jurisdiction: JurisdictionCode.optional().describe('a town or county within yours (default: yours)'),
  from: z.iso.date().optional().describe('the first day of the fortnight (default: 13 days before today, UTC)'),
  format: Format,
});
export const AssessmentQuery = z.object({
  jurisdiction: JurisdictionCode.optional(),
  quarter: z
    .string()
    .regex(/^(20\d\d)-Q[1-4]$/, 'a quarter such as 2026-Q4')
    .optional()
    .describe('the quarter assessed (default: the current one)'),
  format: Format,
});

export const ReportRow = z.object({
  jurisdiction: z.string().describe('a village code, or the place itself on the total row'),
  name: z.string(),
  population: z.number().int().nullable().describe('registered population (null: not recorded)'),
  enrolledHouseholds: z.number().int(),
  enrolledPeople: z.number().int(),
  incidence: z.number().nullable().describe('poverty incidence: enrolled people / population (null when the population is not recorded)'),
  casesOpened: z.number().int(),
  householdsEnrolled: z.number().int(),
  householdsExited: z.number().int(),
  openOverdue: z.number().int().describe('open cases past their stage limit now'),
  paired: z.number().int(),
  coverage: z.number().nullable().describe('paired / enrolled households'),
  visits: z.number().int(),
  lostContact: z.number().int(),
  plansEffective: z.number().int(),
  disbursedFen: z.number().int(),
});
export type ReportRowT = z.infer<typeof ReportRow>;

export const ReportView = z.object({
  report: z.enum(['progress', 'assessment']),
  jurisdiction: z.string(),
  period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
  asOf: z.string(),
  rows: z.array(ReportRow).describe('one row per village, then the total'),
});

export const reportTypes = exportTypes;
