import { DECIDER_ROLE, RESOLVER_ROLES, evolve, isDecisionStage, isPublicityStage, pendingStep, type CaseEvent, type CaseState } from '../../domain/case';
import type { Role } from '../../domain/roles';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';
import { householdProjection } from './households';
import { versionedTaskId, type WantedTask } from './tasks';

/**
 * Keeps the `cases` read model in step with each case's events, folding them with the
 * domain's own evolve() so the read side can never disagree with the rules. What the step
 * writes (the case row, its open task, its household, who holds it, its objections) is computed
 * here and stored by one statement, project_case (migration 017): a step waits for two round
 * trips of projection, not seven or more.
 */
export const caseProjector = projectorOf([STREAM_TYPE.case], async (tx, events) => {
  const caseId = events[0].streamId;
  const before = (await tx.query<{ state: CaseState }>('SELECT state FROM cases WHERE case_id = $1 FOR UPDATE', [caseId])).rows[0]?.state;
  const state = events.reduce<CaseState | undefined>((s, e) => evolve(s, { type: e.type, data: e.data } as CaseEvent), before);
  if (!state) return;
  await tx.query('SELECT project_case($1::jsonb)', [JSON.stringify(caseProjection(state, events[events.length - 1]))]);
});

/** Everything project_case writes for a case at `s`, its last event `last`. */
function caseProjection(s: CaseState, last: StoredEvent) {
  return {
    case: {
      caseId: s.caseId,
      householdId: s.householdId,
      applicantId: s.applicantId,
      county: s.location.county,
      town: s.location.town,
      village: s.location.village,
      stage: s.stage,
      status: s.status,
      household: s.household,
      state: s,
      householdHash: s.householdHash,
      reason: s.reason ?? null,
      stageEnteredAt: s.stageEnteredAt || last.recordedAt,
      stageDueAt: s.stageDueAt ?? null,
      version: s.version,
    },
    task: caseTask(s) ?? null,
    household: householdProjection(s),
    objections: s.objections.map(({ objectionId, stage, status }) => ({ objectionId, stage, status })),
    at: last.recordedAt,
  };
}

/** The roles that can take the case's pending step. */
export function rolesFor(step: NonNullable<ReturnType<typeof pendingStep>>): Role[] {
  if (isDecisionStage(step.stage)) return [DECIDER_ROLE[step.stage]];
  if (isPublicityStage(step.stage)) return [...RESOLVER_ROLES[step.stage]];
  return [];
}

/** A case's task: the decision or the objections it waits for, in its village (none once it has ended). */
function caseTask(s: CaseState): WantedTask | undefined {
  const step = pendingStep(s);
  return (
    step && {
      taskId: versionedTaskId(s.caseId, s.version),
      kind: step.kind,
      step: step.stage,
      roles: rolesFor(step),
      jurisdiction: s.location.village,
      householdHash: s.householdHash,
      round: s.stageEnteredAt,
      dueAt: s.stageDueAt,
    }
  );
}
