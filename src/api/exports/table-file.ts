import ExcelJS from 'exceljs';

/**
 * Lists as files for spreadsheets (issue #12): the rows a list endpoint answers, as CSV or
 * .xlsx, with Chinese column headers (English in brackets). Used by GET /cases and
 * GET /supervision/stalled with `?format=csv|xlsx`.
 */

export type ExportFormat = 'csv' | 'xlsx';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportColumn<T> {
  zh: string;
  en: string;
  value: (row: T) => string | number | null;
}

/** The header of a column: Chinese first, English in brackets. */
export const headerOf = (c: { zh: string; en: string }) => `${c.zh} (${c.en})`;

/**
 * A text a spreadsheet would run as a formula (= + - @, or a tab or CR that some read as a
 * cell break) gets a leading apostrophe, so it shows as text ("CSV injection"). Numbers stay numbers.
 */
export function neutralise(v: string | number | null): string | number | null {
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
  return v;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break, quotes doubled. */
function csvField(v: string | number | null): string {
  const n = neutralise(v);
  if (n === null) return '';
  const s = String(n);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a BOM (so Excel reads Chinese right), a header row, CRLF line ends. */
export function tableCsv<T>(columns: ExportColumn<T>[], rows: T[]): Buffer {
  const lines = [columns.map((c) => csvField(headerOf(c))).join(','), ...rows.map((r) => columns.map((c) => csvField(c.value(r))).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** One sheet: a bold, frozen header row, then the rows; texts are written as texts (never formulas), after neutralise(). */
export async function tableXlsx<T>(sheetName: string, columns: ExportColumn<T>[], rows: T[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0); // the file depends on the rows only
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: headerOf(c), width: Math.max(12, headerOf(c).length * 1.6) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => neutralise(c.value(r))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Content-Disposition for a download (RFC 6266): an ASCII `filename` for old clients and a
 * UTF-8 `filename*` (RFC 8187) with the Chinese name.
 */
export function attachment(asciiName: string, utf8Name: string): string {
  const ascii = asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The file an export asks for: `?format=` decides; without it, an Accept of text/csv or the .xlsx type (as GET /funds/{id}/payouts does). */
export function exportFormat(format: 'json' | ExportFormat | undefined, accept: string | undefined): 'json' | ExportFormat {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (/(^|,)\s*text\/csv\b/.test(a)) return 'csv';
  if (a.includes(XLSX_MEDIA_TYPE)) return 'xlsx';
  return 'json';
}
