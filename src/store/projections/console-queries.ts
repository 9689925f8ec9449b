import type { Queryable } from '../db';
import type { CaseRow } from './cases-queries';

/** Reads behind the web console's applicant and notice pages (the API's services hold no SQL). */

const CASE_COLUMNS = 'case_id, applicant_id, village, status, state, holder, opened_at, updated_at';

/** The cases a user applied for, newest first (cases_applicant_idx), after a keyset cursor. */
export async function casesOfApplicant(db: Queryable, applicantId: string, after: [string, string] | null, limit: number): Promise<CaseRow[]> {
  const [afterAt, afterId] = after ?? [null, null];
  return (
    await db.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM cases
       WHERE applicant_id = $1 AND ($2::timestamptz IS NULL OR (opened_at, case_id) < ($2, $3))
       ORDER BY opened_at DESC, case_id DESC LIMIT $4`,
      [applicantId, afterAt, afterId, limit],
    )
  ).rows;
}

/** The names of the given jurisdiction codes (a code with no row is left out). */
export async function jurisdictionNames(db: Queryable, codes: string[]): Promise<Map<string, string>> {
  const rows = (await db.query<{ code: string; name: string }>('SELECT code, name FROM jurisdictions WHERE code = ANY($1::text[])', [codes])).rows;
  return new Map(rows.map((r) => [r.code, r.name]));
}
