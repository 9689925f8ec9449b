import type { z } from 'zod';
import type { HouseholdInput } from '../../domain/household';
import type { RowError } from '../../store/intake-batches';
import { HouseholdInputSchema } from '../contract/household-input';
import { MAX_INTAKE_ROWS } from '../contract/intake-schemas';
import { problem } from '../http/problem';
import { CAUSE_ZH, COLUMN_KEYS, columnOf, EXAMPLE_HEAD_ID, HEALTH_ZH, INTAKE_COLUMNS, NO, YES, type ColumnKey } from './columns';
import { CsvSyntaxError, parseCsv } from './csv';
import { integerLiteralIssues } from '../http/integer-literals';

/** One row of an upload after validation: the household to apply for, or why it cannot be. */
export type CheckedRow = { line: number; household: HouseholdInput; errors?: undefined } | { line: number; household?: undefined; errors: RowError[] };

const MEMBER_FIELDS = ['name', 'relation', 'idNumber', 'age', 'ableToWork', 'health'] as const;

/** The English column names and whether the header must have them (kept for the CSV tests and docs; the full list with Chinese names is columns.ts). */
export const CSV_COLUMNS = Object.fromEntries(COLUMN_KEYS.map((k) => [k, { required: INTAKE_COLUMNS[k].required }])) as {
  [K in ColumnKey]: { required: (typeof INTAKE_COLUMNS)[K]['required'] };
};
type Column = ColumnKey;

/**
 * One record of a tabular upload (CSV or a sheet): its line (the file's line, or the sheet's
 * row number) and its cells as text. A sheet's reader also reports cells it could not read as
 * text (`cellErrors`, by column index) and pads rows narrower than the header (`padded`).
 */
export interface TableRecord {
  line: number;
  fields: string[];
  cellErrors?: { column: number; message: string }[];
  padded?: boolean;
}

const HEAD_COLUMN: Record<string, Column> = {
  name: 'head_name',
  relation: 'head_name',
  idNumber: 'head_id_number',
  age: 'head_age',
  ableToWork: 'head_able_to_work',
  health: 'head_health',
};
const FIELD_COLUMN: Record<string, Column> = {
  annualIncomeFen: 'annual_income_fen',
  housingGrade: 'housing_grade',
  landMu: 'land_mu',
  primaryCause: 'primary_cause',
  secondaryCauses: 'secondary_causes',
  requestedHelp: 'requested_help',
  bankAccount: 'bank',
};

/** Validates each JSON row on its own; lines are 1-based row indexes and paths name the field within the row. */
export function checkJsonRows(rows: unknown[]): CheckedRow[] {
  const checked = rows.map((row, i): CheckedRow => {
    const r = HouseholdInputSchema.safeParse(row);
    const literals = integerLiteralIssues(HouseholdInputSchema, row);
    if (r.success && !literals.length) return { line: i + 1, household: r.data };
    const issues = [...(r.success ? [] : r.error.issues), ...literals];
    return { line: i + 1, errors: issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'row', message: issue.message })) };
  });
  return refuseRepeatedPeople(checked, (_, k) => ({ path: `members.${k}.idNumber`, message: '' }));
}

/**
 * Parses a CSV upload and validates each record on its own; lines are the file's lines
 * (header = 1) and paths name the column. A file that is not CSV, or whose header is
 * wrong, is refused as a whole (400).
 */
export function checkCsvRows(text: string): CheckedRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw problem(400, 'validation', `the CSV file is not well-formed: ${e.message}`, [{ path: 'body', message: e.message }]);
    throw e;
  }
  return checkTableRows(records, 'CSV file');
}

/**
 * Validates the records of a tabular upload (CSV, or the first sheet of an .xlsx): the first
 * is the header, naming the columns in English or Chinese (columns.ts), in any order; each
 * further record is one household. Errors name a column as the header names it.
 */
export function checkTableRows(records: TableRecord[], what: 'CSV file' | 'sheet'): CheckedRow[] {
  const [header, ...data] = records;
  if (!header) throw problem(400, 'validation', `the ${what} is empty`, [{ path: 'body', message: 'a header line is required' }]);
  const written = header.fields.map((f) => f.trim());
  const columns = written.map((f) => columnOf(f));
  const headerErrors: RowError[] = [];
  columns.forEach((c, i) => {
    const w = written[i];
    // An unknown name is shown escaped (JSON string syntax) and named by position if it is not plain: it is the uploader's text.
    if (c === undefined)
      headerErrors.push({
        path: `body.header.${/^[\w ]+$/.test(w) || isPlainChinese(w) ? w : i + 1}`,
        message: `unknown column ${JSON.stringify(w.slice(0, 60))}`,
      });
    else if (columns.indexOf(c) !== i) headerErrors.push({ path: `body.header.${w}`, message: 'column given twice' });
  });
  for (const c of COLUMN_KEYS) {
    if (INTAKE_COLUMNS[c].required && !columns.includes(c))
      headerErrors.push({ path: `body.header.${c}`, message: `missing column (${INTAKE_COLUMNS[c].zh} or ${c})` });
  }
  if (headerErrors.length)
    throw problem(400, 'validation', `the ${what}'s header (line ${header.line}) is not valid: ${headerErrors.map((e) => e.message).join('; ')}`, headerErrors);
  if (data.length === 0)
    throw problem(400, 'validation', `the ${what} has no rows after its header`, [{ path: 'body', message: 'at least one row is required' }]);
  if (data.length > MAX_INTAKE_ROWS)
    throw problem(400, 'validation', `the ${what} has ${data.length} rows; at most ${MAX_INTAKE_ROWS} are accepted at once`, [
      { path: 'body', message: `at most ${MAX_INTAKE_ROWS} rows` },
    ]);

  /** A column as the file names it. */
  const label = (path: string): string => {
    const i = columns.indexOf(path as Column);
    return i < 0 ? path : written[i];
  };
  const checked = data.map((rec): CheckedRow => {
    const count = rec.fields.length;
    if (count > columns.length || (!rec.padded && count !== columns.length)) {
      return { line: rec.line, errors: [{ path: 'row', message: `expected ${columns.length} fields as in the header, found ${count}` }] };
    }
    const cellErrors = (rec.cellErrors ?? []).map((e) => ({ path: written[e.column] ?? `column ${e.column + 1}`, message: e.message }));
    if (cellErrors.length) return { line: rec.line, errors: cellErrors };
    const cell = (c: Column): string => {
      const i = columns.indexOf(c);
      // A line break inside a quoted field is kept as \n, whichever the file used (text allows no CR: contract/text.ts).
      return i < 0 ? '' : (rec.fields[i] ?? '').trim().replace(/\r\n?/g, '\n');
    };
    if (cell('head_id_number').toUpperCase() === EXAMPLE_HEAD_ID)
      return {
        line: rec.line,
        errors: [{ path: label('head_id_number'), message: "模板的示例行，请删除后再上传 / the template's example row: delete it before uploading" }],
      };
    const r = checkCsvRecord(rec.line, cell);
    return r.errors ? { line: r.line, errors: r.errors.map((e) => ({ ...e, path: label(e.path) })) } : r;
  });
  return refuseRepeatedPeople(checked, (_, k) =>
    k === 0 ? { path: label('head_id_number'), message: '' } : { path: label('members'), message: `member ${k} (idNumber): ` },
  );
}

const isPlainChinese = (s: string) => /^[\p{Script=Han}（）()]+$/u.test(s);

function checkCsvRecord(line: number, cell: (c: Column) => string): CheckedRow {
  const mapped: RowError[] = [];
  const badEntries = new Set<number>();
  const others = cell('members')
    .split(/[;；]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((entry, k) => {
      const parts = entry.split('|').map((p) => p.trim());
      if (parts.length !== MEMBER_FIELDS.length) {
        badEntries.add(k + 1);
        mapped.push({ path: 'members', message: `member ${k + 1}: expected ${MEMBER_FIELDS.length} fields ${MEMBER_FIELDS.join('|')}, found ${parts.length}` });
      }
      return member(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    });
  const bank = cell('bank');
  const accountNumber = cell('account_number');
  const candidate = {
    members: [member(cell('head_name'), 'head', cell('head_id_number'), cell('head_age'), cell('head_able_to_work'), cell('head_health')), ...others],
    annualIncomeFen: integer(cell('annual_income_fen')),
    housingGrade: optional(cell('housing_grade')),
    landMu: cell('land_mu') === '' ? undefined : number(cell('land_mu')),
    primaryCause: cause(optional(cell('primary_cause'))),
    secondaryCauses: cell('secondary_causes')
      .split(/[;；、]/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(cause),
    requestedHelp: optional(cell('requested_help')),
    bankAccount: bank === '' && accountNumber === '' ? undefined : { bank, accountNumber },
  };
  const r = HouseholdInputSchema.safeParse(candidate);
  const errors = [...mapped, ...(r.success ? [] : r.error.issues.flatMap((i) => csvError(i, badEntries)))];
  if (errors.length) return { line, errors };
  return { line, household: (r as { data: HouseholdInput }).data };
}

/** Names the column a validation issue is about; an issue about another member names `members` and the member's position. */
function csvError(issue: z.ZodError['issues'][number], badEntries: Set<number>): RowError[] {
  const [first, index, field] = issue.path.map(String);
  if (first === 'members' && index !== undefined) {
    const k = Number(index);
    if (k === 0) return [{ path: HEAD_COLUMN[field] ?? 'head_name', message: issue.message }];
    if (badEntries.has(k)) return []; // already reported as malformed
    return [{ path: 'members', message: `member ${k}${field ? ` (${field})` : ''}: ${issue.message}` }];
  }
  if (first === 'members') return [{ path: 'members', message: issue.message }];
  if (first === 'bankAccount') return [{ path: index === 'accountNumber' ? 'account_number' : 'bank', message: issue.message }];
  return [{ path: FIELD_COLUMN[first] ?? 'row', message: issue.message }];
}

function member(name?: string, relation?: string, idNumber?: string, age?: string, ableToWork?: string, health?: string) {
  const h = optional(health ?? '');
  return {
    name: name ?? '',
    relation: relation ?? '',
    idNumber: optional(idNumber ?? '')?.toUpperCase(),
    age: number(age ?? ''),
    ableToWork: boolean(ableToWork ?? ''),
    health: h === undefined ? h : (HEALTH_ZH[h] ?? h),
  };
}

/** A poverty cause as its code or its Chinese name. */
const cause = (s: string | undefined) => (s === undefined ? s : (CAUSE_ZH[s] ?? s));

/** An empty cell is a missing value; numbers and booleans that do not parse stay text, so validation names them. */
function optional(s: string): string | undefined {
  return s === '' ? undefined : s;
}
function number(s: string): number | string | undefined {
  if (s === '') return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}
/** Fen are written as integers: `150000.00` stays text, and validation names the column. */
function integer(s: string): number | string | undefined {
  if (s === '') return undefined;
  return /^[+-]?\d+$/.test(s) ? Number(s) : s;
}
function boolean(s: string): boolean | string | undefined {
  const v = s.toLowerCase();
  if (v === '') return undefined;
  if (YES.includes(v)) return true;
  if (NO.includes(v)) return false;
  return s;
}

/**
 * A household is one case, and a person is in one household: the same head's ID number on two
 * rows of one file would race to open two cases, and the same person on two rows would be
 * counted in two households, so every row after the first naming them is refused here.
 * `memberPath` names member k of a row (the head is member 0).
 */
function refuseRepeatedPeople(rows: CheckedRow[], memberPath: (h: HouseholdInput, k: number) => RowError): CheckedRow[] {
  const firstLine = new Map<string, number>();
  return rows.map((row) => {
    if (!row.household) return row;
    const errors: RowError[] = [];
    row.household.members.forEach((m, k) => {
      const id = m.idNumber.toUpperCase();
      const first = firstLine.get(id);
      if (first === undefined || first === row.line) return void firstLine.set(id, row.line);
      const at = memberPath(row.household!, k);
      const message =
        m.relation === 'head'
          ? `同一户（户主身份证号）已在第 ${first} 行 (the same household (head's ID number) is already on line ${first})`
          : `此人已在第 ${first} 行登记，一人只能属于一户 (this person is already on line ${first}: one person, one household)`;
      errors.push({ path: at.path, message: `${at.message}${message}` });
    });
    return errors.length ? { line: row.line, errors } : row;
  });
}
