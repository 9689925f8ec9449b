import { z } from 'zod';
import { VillageCode } from './schemas';

/** Bulk intake: the request and response shapes of /intake/batches. */

export const MAX_INTAKE_ROWS = 5000;

export const IntakeJsonBody = z.object({
  village: VillageCode.describe('the village every household in the file lives in'),
  rows: z
    .array(z.unknown())
    .min(1)
    .max(MAX_INTAKE_ROWS)
    .describe('households, each shaped like `household` of POST /applications; each row is validated on its own and a bad row does not stop the others'),
});

export const IntakeCsvBody = z
  .string()
  .min(1, 'the CSV file is empty')
  .describe(
    'CSV text (RFC 4180) in UTF-8 (a BOM is dropped) or GB18030 (`charset=gb18030`, or detected: bytes that are not UTF-8), a header line and one household per line',
  );

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Largest .xlsx upload, in bytes (a 5,000-row sheet is well under 1 MB). */
export const MAX_XLSX_BYTES = 10 * 1024 * 1024;

export const IntakeXlsxBody = z
  .string()
  .meta({ format: 'binary' })
  .describe('an Excel workbook (.xlsx, at most 10 MB); its first sheet is read: row 1 the header, each further row a household');

export const IntakeQuery = z.object({
  village: VillageCode.optional().describe('required with a text/csv body (or an .xlsx one): the village every household in the file lives in'),
});

export const BatchIdParams = z.object({ batchId: z.string().regex(/^batch-[0-9a-f]{32}$/, 'a batch id') });

export const RowErrorView = z.object({
  path: z
    .string()
    .describe(
      'the column as the file names it (e.g. head_id_number or 户主身份证号) or the JSON field within the row (e.g. members.0.idNumber); `row` for the row as a whole',
    ),
  message: z.string(),
});

export const IntakeBatchView = z.object({
  batchId: z.string(),
  village: z.string(),
  format: z.enum(['csv', 'json', 'xlsx']),
  status: z.enum(['processing', 'done']).describe('done once every valid row has its case or has been refused'),
  total: z.number().int().describe('rows in the file'),
  processed: z.number().int().describe('rows accepted or rejected so far'),
  accepted: z.array(z.object({ line: z.number().int(), caseId: z.string() })),
  rejected: z.array(z.object({ line: z.number().int(), errors: z.array(RowErrorView) })),
  createdAt: z.string().describe('ISO 8601 UTC time'),
  finishedAt: z.string().nullable().describe('ISO 8601 UTC time'),
});
export type IntakeBatchViewT = z.infer<typeof IntakeBatchView>;
