import type { Queryable } from '../db';

/**
 * Reads the loan API needs beside the loan read models (migration 014): whose household a
 * caller is, where a proposed household lives and whether it is enrolled, a village's name.
 */

/** Households whose current case the applicant filed: the households an applicant account speaks for. */
export async function householdsOfApplicant(db: Queryable, applicantId: string): Promise<string[]> {
  const r = await db.query<{ household_id: string }>(
    'SELECT h.household_id FROM households h JOIN cases c ON c.case_id = h.current_case_id WHERE c.applicant_id = $1 ORDER BY h.household_id LIMIT 100',
    [applicantId],
  );
  return r.rows.map((x) => x.household_id);
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

/** A jurisdiction's name (for receipts), if it is in the directory. */
export async function jurisdictionName(db: Queryable, code: string): Promise<string | undefined> {
  return (await db.query<{ name: string }>('SELECT name FROM jurisdictions WHERE code = $1', [code])).rows[0]?.name;
}
