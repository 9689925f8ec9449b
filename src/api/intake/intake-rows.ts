import type { z } from 'zod';
import type { HouseholdInput } from '../../domain/household';
import type { RowError } from '../../store/intake-batches';
import { HouseholdInputSchema } from '../contract/household-input';
import { MAX_INTAKE_ROWS } from '../contract/intake-schemas';
import { problem } from '../http/problem';
import { CsvSyntaxError, parseCsv } from './csv';

/** One row of an upload after validation: the household to apply for, or why it cannot be. */
export type CheckedRow = { line: number; household: HouseholdInput; errors?: undefined } | { line: number; household?: undefined; errors: RowError[] };

const MEMBER_FIELDS = ['name', 'relation', 'idNumber', 'age', 'ableToWork', 'health'] as const;

/** CSV columns; `required` ones must be in the header (a cell may still be empty, and is then refused by the row's validation). */
export const CSV_COLUMNS = {
  head_name: { required: true },
  head_id_number: { required: true },
  head_age: { required: true },
  head_able_to_work: { required: true },
  head_health: { required: true },
  members: { required: false },
  annual_income_fen: { required: true },
  housing_grade: { required: true },
  primary_cause: { required: true },
  secondary_causes: { required: false },
  requested_help: { required: true },
  bank: { required: false },
  account_number: { required: false },
  land_mu: { required: false },
} as const;
type Column = keyof typeof CSV_COLUMNS;

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
    if (r.success) return { line: i + 1, household: r.data };
    return { line: i + 1, errors: r.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'row', message: issue.message })) };
  });
  return refuseRepeatedHouseholds(checked, (h) => `members.${h.members.findIndex((m) => m.relation === 'head')}.idNumber`);
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
  const [header, ...data] = records;
  if (!header) throw problem(400, 'validation', 'the CSV file is empty', [{ path: 'body', message: 'a header line is required' }]);
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const headerErrors: RowError[] = [];
  columns.forEach((c, i) => {
    // An unknown name is shown escaped (JSON string syntax) and named by position if it is not plain: it is the uploader's text.
    if (!(c in CSV_COLUMNS))
      headerErrors.push({ path: `body.header.${/^[\w ]+$/.test(c) ? c : i + 1}`, message: `unknown column ${JSON.stringify(c.slice(0, 60))}` });
    else if (columns.indexOf(c) !== i) headerErrors.push({ path: `body.header.${c}`, message: 'column given twice' });
  });
  for (const [c, spec] of Object.entries(CSV_COLUMNS)) {
    if (spec.required && !columns.includes(c)) headerErrors.push({ path: `body.header.${c}`, message: 'missing column' });
  }
  if (headerErrors.length)
    throw problem(400, 'validation', `the CSV header (line ${header.line}) is not valid: ${headerErrors.map((e) => e.message).join('; ')}`, headerErrors);
  if (data.length === 0)
    throw problem(400, 'validation', 'the CSV file has no rows after its header', [{ path: 'body', message: 'at least one row is required' }]);
  if (data.length > MAX_INTAKE_ROWS)
    throw problem(400, 'validation', `the CSV file has ${data.length} rows; at most ${MAX_INTAKE_ROWS} are accepted at once`, [
      { path: 'body', message: `at most ${MAX_INTAKE_ROWS} rows` },
    ]);

  const checked = data.map((rec): CheckedRow => {
    if (rec.fields.length !== columns.length) {
      return { line: rec.line, errors: [{ path: 'row', message: `expected ${columns.length} fields as in the header, found ${rec.fields.length}` }] };
    }
    const cell = (c: Column): string => {
      const i = columns.indexOf(c);
      // A line break inside a quoted field is kept as \n, whichever the file used (text allows no CR: contract/text.ts).
      return i < 0 ? '' : rec.fields[i].trim().replace(/\r\n?/g, '\n');
    };
    return checkCsvRecord(rec.line, cell);
  });
  return refuseRepeatedHouseholds(checked, () => 'head_id_number');
}

function checkCsvRecord(line: number, cell: (c: Column) => string): CheckedRow {
  const mapped: RowError[] = [];
  const badEntries = new Set<number>();
  const others = cell('members')
    .split(';')
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
    primaryCause: optional(cell('primary_cause')),
    secondaryCauses: cell('secondary_causes')
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
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
  return {
    name: name ?? '',
    relation: relation ?? '',
    idNumber: optional(idNumber ?? '')?.toUpperCase(),
    age: number(age ?? ''),
    ableToWork: boolean(ableToWork ?? ''),
    health: optional(health ?? ''),
  };
}

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
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  return s;
}

/**
 * A household is one case: the same head's ID number on two rows of one file would race to
 * open two cases, so every row after the first is refused here.
 */
function refuseRepeatedHouseholds(rows: CheckedRow[], headPath: (h: HouseholdInput) => string): CheckedRow[] {
  const firstLine = new Map<string, number>();
  return rows.map((row) => {
    if (!row.household) return row;
    const head = row.household.members.find((m) => m.relation === 'head');
    if (!head) return row;
    const id = head.idNumber.toUpperCase();
    const first = firstLine.get(id);
    if (first === undefined) {
      firstLine.set(id, row.line);
      return row;
    }
    return { line: row.line, errors: [{ path: headPath(row.household), message: `the same household (head's ID number) is already on line ${first}` }] };
  });
}
