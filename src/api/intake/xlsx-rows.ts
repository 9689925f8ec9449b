import ExcelJS from 'exceljs';
import { MAX_INTAKE_ROWS } from '../contract/intake-schemas';
import { problem } from '../http/problem';
import type { TableRecord } from './intake-rows';
import { guardZip } from './zip-guard';

/** A cell longer than this is no household's data (the longest field takes 2,000 characters): the file is refused. */
export const XLSX_MAX_CELL_CHARS = 10_000;
/** Columns read: the intake has 14; a sheet wider than this is not an intake sheet. */
const MAX_COLUMNS = 60;

const refuse = (detail: string, message: string, path = 'body') => problem(400, 'validation', detail, [{ path, message }]);

/**
 * The first sheet of an .xlsx upload as records: row 1 the header, each further non-empty row
 * one household, `line` being the sheet's row number. Cells are read as text: numbers as
 * written, yes/no as true/false; a formula as the value Excel computed and saved with it
 * (what the official sees), and a formula without a saved value, or an error value (#N/A),
 * is an error of that row. A whole number too long to be exact (an ID or account number Excel
 * stored as a number, which loses its last digits) is an error of that row too.
 */
export async function readXlsx(bytes: Buffer): Promise<TableRecord[]> {
  guardZip(bytes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw refuse('无法读取该 .xlsx 文件 / the workbook could not be read as .xlsx', 'not a readable .xlsx workbook');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw refuse('工作簿中没有工作表 / the workbook has no sheet', 'no sheet');
  if (sheet.actualRowCount > MAX_INTAKE_ROWS + 1)
    throw refuse(
      `工作表有 ${sheet.actualRowCount - 1} 行数据，一次最多 ${MAX_INTAKE_ROWS} 行 / the sheet has ${sheet.actualRowCount - 1} rows; at most ${MAX_INTAKE_ROWS} are accepted at once`,
      `at most ${MAX_INTAKE_ROWS} rows`,
    );
  if (sheet.actualColumnCount > MAX_COLUMNS) throw refuse(`工作表列数过多 / the sheet has more than ${MAX_COLUMNS} columns`, `at most ${MAX_COLUMNS} columns`);

  const records: TableRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const fields: string[] = [];
    const cellErrors: { column: number; message: string }[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col > MAX_COLUMNS) return;
      const v = cellText(cell.value);
      if (typeof v === 'string') {
        if (v.length > XLSX_MAX_CELL_CHARS)
          throw refuse(
            `第 ${rowNumber} 行第 ${col} 列的单元格过长 / the cell in row ${rowNumber}, column ${col} holds more than ${XLSX_MAX_CELL_CHARS} characters`,
            `more than ${XLSX_MAX_CELL_CHARS} characters`,
            `body.row.${rowNumber}`,
          );
        fields[col - 1] = v;
      } else {
        fields[col - 1] = '';
        cellErrors.push({ column: col - 1, message: v.error });
      }
    });
    for (let i = 0; i < fields.length; i++) fields[i] ??= '';
    // Trailing empty cells are no fields: a row narrower than the header is padded by the reader.
    while (fields.length > 0 && fields[fields.length - 1] === '' && !cellErrors.some((e) => e.column === fields.length - 1)) fields.pop();
    if (fields.length > 0 || cellErrors.length) records.push({ line: rowNumber, fields, cellErrors, padded: true });
  });
  return records;
}

type CellValue = ExcelJS.CellValue;

function cellText(v: CellValue): string | { error: string } {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Number.isSafeInteger(v))
      return {
        error:
          '该号码在 Excel 中存成了数字，末几位已丢失：请将该列设为文本后重新输入 / a long number stored as a number has lost its last digits: format the column as text and type it again',
      };
    return String(v);
  }
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as { result?: CellValue }).result;
      if (result === undefined || result === null) return { error: '公式没有保存计算结果：请粘贴为数值 / a formula with no saved value: paste it as a value' };
      return cellText(result);
    }
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('error' in v) return { error: `单元格是错误值 ${String(v.error)} / the cell holds the error ${String(v.error)}` };
    if ('text' in v && typeof v.text === 'string') return v.text; // a hyperlink: its text
  }
  return { error: '无法识别的单元格内容 / a cell of a kind that is not accepted' };
}
