import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { attachment, tableCsv, tableXlsx, XLSX_MEDIA_TYPE, type ExportColumn, type ExportFormat } from './table-file';

/**
 * Answers a list as a file download: the headers (type, Content-Disposition with a dated name,
 * `X-Next-Cursor` when the list went on past the cap) and the bytes.
 */
export async function sendExport<T>(
  res: Response,
  format: ExportFormat,
  file: { ascii: string; zh: string; sheet: string },
  columns: ExportColumn<T>[],
  rows: T[],
  nextCursor: string | null,
): Promise<StreamableFile> {
  const day = new Date().toISOString().slice(0, 10);
  res.setHeader('Vary', 'Accept');
  res.setHeader('Content-Disposition', attachment(`${file.ascii}-${day}.${format}`, `${file.zh}-${day}.${format}`));
  if (nextCursor) res.setHeader('X-Next-Cursor', nextCursor);
  if (format === 'csv') return new StreamableFile(tableCsv(columns, rows), { type: 'text/csv; charset=utf-8' });
  return new StreamableFile(await tableXlsx(file.sheet, columns, rows), { type: XLSX_MEDIA_TYPE });
}
