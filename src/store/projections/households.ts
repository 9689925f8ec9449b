import type { PoolClient } from 'pg';
import type { CaseState } from '../../domain/case';
import { registerHouseholdKey } from '../household-keys';

/**
 * Where a household stands, from its latest case: applying / enrolled / rejected for an entry
 * case; an exit case leaves it enrolled until the exit is announced.
 */
export function householdStatus(s: CaseState): 'applying' | 'enrolled' | 'rejected' | 'exited' {
  if (s.procedure === 'exit') return s.status === 'exited' ? 'exited' : 'enrolled';
  return s.status === 'open' ? 'applying' : s.status === 'enrolled' ? 'enrolled' : 'rejected';
}

/** The household registry: who is in which household, and how it stands (a projection of case events). */
export async function projectHousehold(tx: PoolClient, s: CaseState, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (household_id) DO UPDATE SET village = EXCLUDED.village, members = EXCLUDED.members,
       member_id_hashes = EXCLUDED.member_id_hashes, status = EXCLUDED.status, current_case_id = EXCLUDED.current_case_id, updated_at = EXCLUDED.updated_at`,
    [
      s.householdId,
      s.location.village,
      JSON.stringify(
        s.household.members.map(({ name, relation, idMasked, idHash, age, ableToWork, health }) => ({
          name,
          relation,
          idMasked,
          idHash,
          age,
          ableToWork,
          health,
        })),
      ),
      s.household.members.map((m) => m.idHash),
      householdStatus(s),
      s.caseId,
      at,
    ],
  );
  const head = s.household.members.find((m) => m.relation === 'head') ?? s.household.members[0];
  await registerHouseholdKey(tx, head.idHash, s.householdId);
}
