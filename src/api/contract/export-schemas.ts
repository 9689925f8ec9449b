import { z } from 'zod';

/** Lists as files (issue #12): the `format` parameter of GET /cases and GET /supervision/stalled, and what they answer. */

/** At most this many rows go into one exported file; `X-Next-Cursor` then says where the rest begins. */
export const EXPORT_CAP = 10_000;

export const ExportFormatParam = z
  .enum(['json', 'csv', 'xlsx'])
  .optional()
  .describe(
    `csv or xlsx: the list as a file to download (or send Accept: text/csv, or the .xlsx media type): the rows matching the same filters, from \`cursor\` on, at most ${EXPORT_CAP} (\`limit\` is not used; when more remain, the X-Next-Cursor header says where to continue). Chinese column headers with English in brackets; CSV in UTF-8 with a BOM, RFC 4180 quoting, CRLF; a text starting with = + - or @ is prefixed with an apostrophe so that no spreadsheet runs it as a formula.`,
  );

export const ExportCsv = z.string().describe('UTF-8 CSV with a BOM: a header row (中文 (English)) and one row per item');
export const ExportXlsx = z.string().meta({ format: 'binary' }).describe('an Excel workbook: one sheet, a header row (中文 (English)) and one row per item');
export const exportTypes = { 'text/csv': ExportCsv, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ExportXlsx };
