import { isPublicityStage, pendingStep } from '../../domain/case';
import { rolesFor } from '../../store/projections/cases';
import type { CaseRow } from '../../store/projections/cases-queries';
import { REFERENCE_SOURCE_ZH } from '../../domain/comparison/sources';
import type { CaseViewT } from '../contract/schemas';

/** What a caller sees of a case: ID numbers only masked, bank details not at all. */
export function toCaseView(row: CaseRow): CaseViewT {
  const s = row.state;
  const step = pendingStep(s);
  const roles = step ? rolesFor(step) : [];
  return {
    caseId: s.caseId,
    householdId: s.householdId,
    stage: s.stage,
    status: s.status,
    location: s.location,
    household: {
      members: s.household.members.map(({ name, relation, idMasked, age, ableToWork, health }) => ({ name, relation, idMasked, age, ableToWork, health })),
      annualIncomeFen: s.household.annualIncomeFen,
      housingGrade: s.household.housingGrade,
      primaryCause: s.household.primaryCause,
      secondaryCauses: s.household.secondaryCauses,
      requestedHelp: s.household.requestedHelp,
    },
    householdHash: s.householdHash,
    pendingTask: step ? { kind: step.kind, stage: step.stage, role: roles, dueAt: s.stageDueAt ?? null, holder: row.holder } : null,
    deadlines: { stageEnteredAt: s.stageEnteredAt, stageDueAt: s.stageDueAt ?? null },
    publicity: isPublicityStage(s.stage) && s.stageDueAt ? { endsAt: s.stageDueAt, ended: s.publicityEnded } : null,
    objections: s.objections.map((o) => ({ objectionId: o.objectionId, stage: o.stage, status: o.status })),
    queries: (s.queries ?? []).map((q) => {
      const at = q.memberIdHash ? s.household.members.findIndex((x) => x.idHash === q.memberIdHash) : q.memberIndex;
      const m = s.household.members[at];
      return {
        queryId: q.queryId,
        source: q.source,
        sourceLabel: REFERENCE_SOURCE_ZH[q.source],
        listId: q.listId,
        listDate: q.listDate,
        member: { index: at, name: m?.name ?? '', idMasked: m?.idMasked ?? '' },
        status: q.status,
        reason: q.reason ?? null,
      };
    }),
    reason: s.reason ?? null,
    previousCaseId: s.previousCaseId ?? null,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: s.version,
  };
}
