import type { Pool, PoolClient } from 'pg';
import { maskName, mayClaim, type HouseholdStanding } from '../domain/household-membership';
import { withTransaction } from './transaction';

/**
 * Who belongs to which household (migration 027): one row per person, by the keyed hash of
 * their ID number. The rule of who may take a person over is the domain's (mayClaim); this
 * file only reads and writes the rows.
 */

/** A member of an application who is already in another household, and where (masked: the other household is not the applicant's to see). */
export interface MemberConflict {
  /** The member's position in the application's list. */
  index: number;
  householdId: string;
  /** The other household's village, code and name; undefined while its application has not recorded its first step. */
  village?: { code: string; name?: string };
  /** The other household's head, masked (王芳 → 王*, 5227**********1234). */
  head?: { name: string; idMasked: string };
}

interface HolderRow {
  household_id: string;
  case_id: string;
  claimed_at: Date;
  status: HouseholdStanding | null;
  village: string | null;
  village_name: string | null;
  members: { name: string; relation: string; idMasked: string }[] | null;
}

class Refused extends Error {
  constructor(readonly conflicts: MemberConflict[]) {
    super('members held by other households');
  }
}

/**
 * Claims every member (`idHashes`, in the application's order) for the application, all or
 * none: the conflicts are returned and nothing is written if any member is held by another
 * applying or enrolled household. Rows are taken in hash order, so two applications naming the
 * same people in another order wait for each other rather than deadlock; of two at once naming
 * the same person, the second waits for the first's row and then sees it held.
 */
export async function claimMembers(
  pool: Pool,
  claimant: { householdId: string; caseId: string },
  idHashes: string[],
  now = new Date(),
): Promise<MemberConflict[]> {
  try {
    await withTransaction(pool, async (tx) => {
      const conflicts: MemberConflict[] = [];
      const order = idHashes.map((idHash, index) => ({ idHash, index })).sort((a, b) => (a.idHash < b.idHash ? -1 : a.idHash > b.idHash ? 1 : 0));
      for (const { idHash, index } of order) {
        const inserted = await tx.query('INSERT INTO household_members (id_hash, household_id, case_id) VALUES ($1, $2, $3) ON CONFLICT (id_hash) DO NOTHING', [
          idHash,
          claimant.householdId,
          claimant.caseId,
        ]);
        if (inserted.rowCount === 1) continue;
        const holder = await heldBy(tx, idHash);
        const standing = holder.status ?? undefined;
        if (mayClaim({ householdId: holder.household_id, caseId: holder.case_id, claimedAt: holder.claimed_at.toISOString(), standing }, claimant, now)) {
          await moveMember(tx, idHash, claimant);
        } else conflicts.push(conflictOf(index, holder));
      }
      if (conflicts.length) throw new Refused(conflicts.sort((a, b) => a.index - b.index));
    });
    return [];
  } catch (e) {
    if (e instanceof Refused) return e.conflicts;
    throw e;
  }
}

/** Moves a person to another household (a recorded transfer, or a claim of a freed person). */
export async function moveMember(tx: PoolClient, idHash: string, to: { householdId: string; caseId: string }): Promise<void> {
  await tx.query(
    `INSERT INTO household_members (id_hash, household_id, case_id) VALUES ($1, $2, $3)
     ON CONFLICT (id_hash) DO UPDATE SET household_id = EXCLUDED.household_id, case_id = EXCLUDED.case_id, claimed_at = now()`,
    [idHash, to.householdId, to.caseId],
  );
}

/** The household a person belongs to now, if any. */
export async function householdOfMember(db: Pick<Pool, 'query'>, idHash: string): Promise<string | undefined> {
  return (await db.query<{ household_id: string }>('SELECT household_id FROM household_members WHERE id_hash = $1', [idHash])).rows[0]?.household_id;
}

async function heldBy(tx: PoolClient, idHash: string): Promise<HolderRow> {
  return (
    await tx.query<HolderRow>(
      `SELECT m.household_id, m.case_id, m.claimed_at, h.status, h.village, j.name AS village_name, h.members
       FROM household_members m
       LEFT JOIN households h ON h.household_id = m.household_id
       LEFT JOIN jurisdictions j ON j.code = h.village
       WHERE m.id_hash = $1
       FOR UPDATE OF m`,
      [idHash],
    )
  ).rows[0];
}

function conflictOf(index: number, holder: HolderRow): MemberConflict {
  const head = holder.members?.find((m) => m.relation === 'head') ?? holder.members?.[0];
  return {
    index,
    householdId: holder.household_id,
    ...(holder.village ? { village: { code: holder.village, ...(holder.village_name ? { name: holder.village_name } : {}) } } : {}),
    ...(head ? { head: { name: maskName(head.name), idMasked: head.idMasked } } : {}),
  };
}

/** The household a person belongs to now, its row held until the transaction ends (a transfer decides on it). */
export async function lockMember(tx: PoolClient, idHash: string): Promise<string | undefined> {
  return (await tx.query<{ household_id: string }>('SELECT household_id FROM household_members WHERE id_hash = $1 FOR UPDATE', [idHash])).rows[0]?.household_id;
}
