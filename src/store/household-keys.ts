import type { Pool, PoolClient } from 'pg';

/**
 * The household registry's key: the keyed hash (ID_HASH_KEY) of the head's ID number → the
 * household's random id. Lets a household that applies again (after a rejection or an exit)
 * find its id, without the id being derivable from anyone's ID number.
 */

/**
 * The id registered for this head, or `candidate` registered now. One statement, so two first
 * applications of the same household at once still get one id.
 */
export async function claimHouseholdId(pool: Pool, headIdHash: string, candidate: string): Promise<string> {
  const r = await pool.query<{ household_id: string }>(
    `INSERT INTO household_keys (head_id_hash, household_id) VALUES ($1, $2)
     ON CONFLICT (head_id_hash) DO UPDATE SET head_id_hash = EXCLUDED.head_id_hash
     RETURNING household_id`,
    [headIdHash, candidate],
  );
  return r.rows[0].household_id;
}

/** Registers a household's head if it is not yet (households recorded by any path stay findable). */
export async function registerHouseholdKey(tx: PoolClient, headIdHash: string, householdId: string): Promise<void> {
  await tx.query('INSERT INTO household_keys (head_id_hash, household_id) VALUES ($1, $2) ON CONFLICT (head_id_hash) DO NOTHING', [headIdHash, householdId]);
}

/** Where a registered household stands (the `households` row the case projection keeps), or undefined if none is registered. */
export async function householdStanding(pool: Pool, householdId: string): Promise<{ status: string; currentCaseId: string } | undefined> {
  return (
    await pool.query<{ status: string; currentCaseId: string }>('SELECT status, current_case_id AS "currentCaseId" FROM households WHERE household_id = $1', [
      householdId,
    ])
  ).rows[0];
}
