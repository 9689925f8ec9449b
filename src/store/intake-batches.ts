import type { Pool } from 'pg';
import type { HouseholdInput } from '../domain/household';

/**
 * The bulk intake tables (migration 005): every read and write of `intake_batches` and
 * `intake_rows`, for the API (upload, progress) and the intake activities (one row at a time).
 * A pending row holds the validated input, as entered, until its case has started; a settled
 * row keeps only its case id or its errors.
 */

export type IntakeFormat = 'csv' | 'json' | 'xlsx';

/** What is wrong with one row: the CSV column or JSON field, and why. */
export interface RowError {
  path: string;
  message: string;
}

export interface IntakeBatchRow {
  batch_id: string;
  user_id: string;
  village: string;
  format: IntakeFormat;
  status: 'processing' | 'done';
  total: number;
  created_at: Date;
  finished_at: Date | null;
}

export interface NewIntakeBatch {
  batchId: string;
  userId: string;
  village: string;
  format: IntakeFormat;
  contentHash: string;
  rows: { line: number; household?: HouseholdInput; errors?: RowError[] }[];
}

export interface SettledIntakeRow {
  line: number;
  status: 'accepted' | 'rejected';
  case_id: string | null;
  errors: RowError[] | null;
}

/**
 * Stores a batch with all its rows, valid ones pending and the others rejected, in one
 * statement (so all or nothing). A batch already stored under that id is left as it was.
 */
export async function insertIntakeBatch(pool: Pool, b: NewIntakeBatch): Promise<void> {
  const pending = b.rows.some((r) => r.household);
  await pool.query(
    `WITH batch AS (
       INSERT INTO intake_batches (batch_id, user_id, village, format, content_hash, total, status, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 = 'done' THEN now() END) ON CONFLICT (batch_id) DO NOTHING
       RETURNING batch_id
     )
     INSERT INTO intake_rows (batch_id, line, status, errors, household)
     SELECT batch.batch_id, r.line, r.status, r.errors, r.household
     FROM batch, jsonb_to_recordset($8::jsonb) AS r(line integer, status text, errors jsonb, household jsonb)`,
    [
      b.batchId,
      b.userId,
      b.village,
      b.format,
      b.contentHash,
      b.rows.length,
      pending ? 'processing' : 'done',
      JSON.stringify(
        b.rows.map((r) => ({ line: r.line, status: r.household ? 'pending' : 'rejected', errors: r.errors ?? null, household: r.household ?? null })),
      ),
    ],
  );
}

export async function findIntakeBatch(pool: Pool, batchId: string): Promise<IntakeBatchRow | undefined> {
  return (
    await pool.query<IntakeBatchRow>(
      'SELECT batch_id, user_id, village, format, status, total, created_at, finished_at FROM intake_batches WHERE batch_id = $1',
      [batchId],
    )
  ).rows[0];
}

/** The rows accepted or rejected so far, in file order. */
export async function settledIntakeRows(pool: Pool, batchId: string): Promise<SettledIntakeRow[]> {
  return (
    await pool.query<SettledIntakeRow>(`SELECT line, status, case_id, errors FROM intake_rows WHERE batch_id = $1 AND status <> 'pending' ORDER BY line`, [
      batchId,
    ])
  ).rows;
}

/** The next pending lines of a batch (line numbers only: no personal data leaves the database here), and how many are pending in all. */
export async function pendingIntakeLines(pool: Pool, batchId: string, limit: number): Promise<{ lines: number[]; pending: number }> {
  const rows = (
    await pool.query<{ line: number; pending: number }>(
      `SELECT line, count(*) OVER ()::int AS pending FROM intake_rows WHERE batch_id = $1 AND status = 'pending' ORDER BY line LIMIT $2`,
      [batchId, limit],
    )
  ).rows;
  return { lines: rows.map((r) => r.line), pending: rows[0]?.pending ?? 0 };
}

/** One pending row with what starting its case needs; undefined once the row is settled. */
export async function pendingIntakeRow(
  pool: Pool,
  batchId: string,
  line: number,
): Promise<{ userId: string; village: string; household: HouseholdInput } | undefined> {
  return (
    await pool.query<{ userId: string; village: string; household: HouseholdInput }>(
      `SELECT b.user_id AS "userId", b.village, r.household FROM intake_rows r JOIN intake_batches b USING (batch_id)
     WHERE r.batch_id = $1 AND r.line = $2 AND r.status = 'pending'`,
      [batchId, line],
    )
  ).rows[0];
}

/** Settling forgets the input (ID numbers, account number): the case keeps what it needs, hashed or sealed. */
export async function acceptIntakeRow(pool: Pool, batchId: string, line: number, caseId: string): Promise<void> {
  await pool.query(`UPDATE intake_rows SET status = 'accepted', case_id = $3, household = NULL WHERE batch_id = $1 AND line = $2 AND status = 'pending'`, [
    batchId,
    line,
    caseId,
  ]);
}

export async function rejectIntakeRow(pool: Pool, batchId: string, line: number, errors: RowError[]): Promise<void> {
  await pool.query(`UPDATE intake_rows SET status = 'rejected', errors = $3, household = NULL WHERE batch_id = $1 AND line = $2 AND status = 'pending'`, [
    batchId,
    line,
    JSON.stringify(errors),
  ]);
}

/** Marks the batch done once no row is pending; true if it is done (now or before). */
export async function finishIntakeBatch(pool: Pool, batchId: string): Promise<boolean> {
  const r = await pool.query<{ status: string }>(
    `UPDATE intake_batches b SET status = 'done', finished_at = coalesce(b.finished_at, now())
     WHERE b.batch_id = $1 AND NOT EXISTS (SELECT 1 FROM intake_rows r WHERE r.batch_id = b.batch_id AND r.status = 'pending')
     RETURNING status`,
    [batchId],
  );
  return r.rowCount === 1;
}
