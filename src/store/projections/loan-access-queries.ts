import type { Queryable } from '../db';

/**
 * Reads the loan API needs beside the loan read models (migration 014): whose household a
 * caller is, and each proposed household's history with a scheme (for batch eligibility).
 */

/** Households whose current case the applicant filed: the households an applicant account speaks for. */
export async function householdsOfApplicant(db: Queryable, applicantId: string): Promise<string[]> {
  const r = await db.query<{ household_id: string }>(
    'SELECT h.household_id FROM households h JOIN cases c ON c.case_id = h.current_case_id WHERE c.applicant_id = $1 ORDER BY h.household_id LIMIT 100',
    [applicantId],
  );
  return r.rows.map((x) => x.household_id);
}

export interface SchemeHistoryRow {
  household_id: string;
  /** A loan of the scheme not yet closed (being paid out, or owing). */
  has_open_loan: boolean;
  /** The day a loan of the scheme was last written off, 'YYYY-MM-DD'. */
  last_write_off_on: string | null;
}

/** For each household that ever had a loan of the scheme: an open one, and its last write-off. */
export async function schemeHistoryOf(db: Queryable, schemeId: string, householdIds: string[]): Promise<SchemeHistoryRow[]> {
  const r = await db.query<SchemeHistoryRow>(
    `SELECT household_id,
            bool_or(status IN ('pending', 'active')) AS has_open_loan,
            to_char(max(closed_on) FILTER (WHERE status = 'written_off'), 'YYYY-MM-DD') AS last_write_off_on
       FROM loans WHERE scheme_id = $1 AND household_id = ANY($2::text[]) GROUP BY household_id`,
    [schemeId, householdIds],
  );
  return r.rows;
}

/** The scheme whose pool a fund is, if any (a fund is the pool of at most one scheme). */
export async function schemeOfFund(db: Queryable, fundId: string): Promise<string | undefined> {
  return (await db.query<{ scheme_id: string }>('SELECT scheme_id FROM loan_schemes WHERE fund_id = $1', [fundId])).rows[0]?.scheme_id;
}

export interface RegisteredHouseholdRow {
  household_id: string;
  status: 'applying' | 'enrolled' | 'rejected' | 'exited';
  location: { county: string; town: string; village: string };
  applicant_id: string;
}

/** The registered households among these ids, with their location and applicant (from the current case). */
export async function registeredHouseholds(db: Queryable, householdIds: string[]): Promise<RegisteredHouseholdRow[]> {
  const r = await db.query<RegisteredHouseholdRow>(
    `SELECT h.household_id, h.status, c.state->'location' AS location, c.applicant_id
       FROM households h JOIN cases c ON c.case_id = h.current_case_id WHERE h.household_id = ANY($1::text[])`,
    [householdIds],
  );
  return r.rows;
}
