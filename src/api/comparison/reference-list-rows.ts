import { checkResidentId, RESIDENT_ID_MESSAGES } from '../../domain/resident-id';
import { MAX_REFERENCE_ROWS } from '../contract/comparison-schemas';
import { problem } from '../http/problem';
import { CsvSyntaxError, parseCsv } from '../intake/csv';
import type { TableRecord } from '../intake/intake-rows';
import { XLSX_MAX_CELL_CHARS } from '../intake/xlsx-rows';

/** Header names of the ID number column; every other column (names, dates) is ignored. */
const ID_COLUMNS = ['身份证号', '身份证号码', '公民身份号码', 'id_number'];

/** One person on a list: the ID number as checked, and where it was (for errors). */
export interface ReferenceRow {
  line: number;
  idNumber: string;
}

interface RawRow {
  line: number;
  path: string;
  id: string;
  /** Why the row cannot be read at all (a cell Excel could not give as text, a giant cell). */
  unreadable?: string;
}

const refuse = (detail: string, path: string, message: string) => problem(400, 'validation', detail, [{ path, message }]);

export function referenceRowsOfCsv(text: string): ReferenceRow[] {
  try {
    return referenceRowsOfTable(parseCsv(text));
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw refuse(`CSV 文件格式错误 (the CSV file is not well-formed): ${e.message}`, 'body', e.message);
    throw e;
  }
}

/** A CSV file or the first sheet of a workbook: a header naming the ID column, then one person per row. */
export function referenceRowsOfTable(records: TableRecord[]): ReferenceRow[] {
  const [header, ...data] = records;
  if (!header) throw refuse('文件是空的 (the file is empty)', 'body', 'a header line is required');
  const col = header.fields.findIndex((f) => ID_COLUMNS.includes(f.trim().toLowerCase()));
  if (col < 0) throw refuse('缺少身份证号列 (the header has no ID number column)', 'body.header', 'name the ID column 身份证号 (or id_number, 公民身份号码)');
  const rows = data.map((rec): RawRow => {
    const path = `body.line.${rec.line}`;
    const tooLong = rec.fields.findIndex((f) => f.length > XLSX_MAX_CELL_CHARS);
    if (tooLong >= 0)
      return {
        line: rec.line,
        path,
        id: '',
        unreadable: `第 ${tooLong + 1} 列超过 ${XLSX_MAX_CELL_CHARS} 个字符 (column ${tooLong + 1} holds more than ${XLSX_MAX_CELL_CHARS} characters)`,
      };
    const cellError = rec.cellErrors?.find((e) => e.column === col);
    if (cellError) return { line: rec.line, path, id: '', unreadable: cellError.message };
    return { line: rec.line, path, id: rec.fields[col] ?? '' };
  });
  return checkRows(rows);
}

/** JSON `{ idNumbers }`: lines are 1-based positions. */
export function referenceRowsOfJson(idNumbers: string[]): ReferenceRow[] {
  return checkRows(idNumbers.map((id, i) => ({ line: i + 1, path: `body.idNumbers.${i}`, id })));
}

/**
 * Every row must be a valid ID number, each once: a list with any wrong row is refused whole
 * (400, each wrong row named), so that a list is never compared half-read.
 */
function checkRows(rows: RawRow[]): ReferenceRow[] {
  if (rows.length === 0) throw refuse('名单中没有数据行 (the list has no rows after its header)', 'body', 'at least one row is required');
  if (rows.length > MAX_REFERENCE_ROWS)
    throw refuse(`名单一次最多 ${MAX_REFERENCE_ROWS} 行 (at most ${MAX_REFERENCE_ROWS} rows at once)`, 'body', `at most ${MAX_REFERENCE_ROWS} rows`);
  const now = new Date(); // a birth date after today is no one's
  const errors: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  const out: ReferenceRow[] = [];
  for (const r of rows) {
    if (r.unreadable) {
      errors.push({ path: r.path, message: r.unreadable });
      continue;
    }
    const checked = checkResidentId(r.id.trim(), now);
    if (!checked.ok) {
      errors.push({ path: r.path, message: RESIDENT_ID_MESSAGES[checked.fault] });
      continue;
    }
    const id = checked.idNumber;
    const first = seen.get(id);
    if (first !== undefined) {
      errors.push({ path: r.path, message: `身份证号与第 ${first} 行重复 (the same ID number as line ${first})` });
      continue;
    }
    seen.set(id, r.line);
    out.push({ line: r.line, idNumber: id });
  }
  if (errors.length)
    throw problem(
      400,
      'validation',
      `名单中有 ${errors.length} 行有误，未导入任何内容 (${errors.length} rows of the list are wrong; nothing was imported)`,
      errors.slice(0, 500),
    );
  return out;
}
