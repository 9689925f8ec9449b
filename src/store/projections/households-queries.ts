import type { CaseState } from '../../domain/case';
import type { Queryable } from '../db';

/** A household of the registry (projection: households.ts). */
export interface HouseholdRow {
  village: string;
  status: 'applying' | 'enrolled' | 'rejected' | 'exited';
  current_case_id: string;
  members: CaseState['household']['members'];
}

export async function findHousehold(db: Queryable, householdId: string): Promise<HouseholdRow | undefined> {
  return (await db.query<HouseholdRow>('SELECT village, status, current_case_id, members FROM households WHERE household_id = $1', [householdId])).rows[0];
}

/** The household with the state of its current case (its location, its registered account). */
export async function householdWithCurrentCase(db: Queryable, householdId: string) {
  return (
    await db.query<{ status: HouseholdRow['status']; village: string; state: CaseState }>(
      'SELECT h.status, h.village, c.state FROM households h JOIN cases c ON c.case_id = h.current_case_id WHERE h.household_id = $1',
      [householdId],
    )
  ).rows[0];
}
