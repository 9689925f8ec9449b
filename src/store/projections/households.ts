import type { CaseState } from '../../domain/case';

/**
 * Where a household stands, from its latest case: applying / enrolled / rejected for an entry
 * case; an exit case leaves it enrolled until the exit is announced.
 */
export function householdStatus(s: CaseState): 'applying' | 'enrolled' | 'rejected' | 'exited' {
  if (s.procedure === 'exit') return s.status === 'exited' ? 'exited' : 'enrolled';
  return s.status === 'open' ? 'applying' : s.status === 'enrolled' ? 'enrolled' : 'rejected';
}

/**
 * The household registry's row for a case's household (who is in it, and how it stands), and
 * its head's key (see household-keys.ts): written by project_case with the case's projection.
 */
export function householdProjection(s: CaseState) {
  const head = s.household.members.find((m) => m.relation === 'head') ?? s.household.members[0];
  return {
    householdId: s.householdId,
    village: s.location.village,
    members: s.household.members.map(({ name, relation, idMasked, idHash, age, ableToWork, health }) => ({
      name,
      relation,
      idMasked,
      idHash,
      age,
      ableToWork,
      health,
    })),
    memberIdHashes: s.household.members.map((m) => m.idHash),
    status: householdStatus(s),
    headIdHash: head.idHash,
  };
}
