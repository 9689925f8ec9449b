import {
  DECIDER_ROLE,
  RESOLVER_ROLES,
  codeAt,
  evolve,
  isDecisionStage,
  isPublicityStage,
  openQueries,
  pendingStep,
  type CaseEvent,
  type CaseState,
  type ComparisonQuery,
} from '../../domain/case';
import type { Role } from '../../domain/roles';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';
import { householdProjection } from './households';
import { reassignTask } from './tasks-queries';
import { syncOpenTask, versionedTaskId, type WantedTask } from './tasks';

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
  const last = events[events.length - 1];
  await tx.query('SELECT project_case($1::jsonb)', [JSON.stringify(caseProjection(state, last))]);
  // Issue #13: the follow-up task of an escalated step (one level up), closed once the case moves.
  // Only events that can open, move or close it touch it: a decision costs no extra statement otherwise.
  if (events.some((e) => ESCALATION_TOUCHING.has(e.type)) && (before?.escalation?.level || state.escalation?.level)) {
    await syncOpenTask(tx, { kind: 'escalation', id: caseId }, escalationTask(state, last), last.recordedAt);
  }
  if (events.some((e) => QUERY_TOUCHING.has(e.type)) && state.queries?.length) {
    for (const q of state.queries) await syncOpenTask(tx, { kind: 'query', id: `${caseId}/${q.queryId}` }, queryTask(state, q), last.recordedAt);
  }
  for (const e of events) {
    if (e.type !== 'TaskReassigned') continue;
    const d = e.data as { taskId: string; to: string };
    await reassignTask(tx, caseId, d.taskId, d.to);
  }
});

/** Events after which the escalation task may have to open, move up, or close. */
const ESCALATION_TOUCHING = new Set(['StepEscalated', 'StageEntered', 'CaseRejected', 'HouseholdEnrolled', 'HouseholdExited']);

/** Events after which a comparison query's task may have to open or close. */
const QUERY_TOUCHING = new Set(['ComparisonQueryRaised', 'ComparisonQueryResolved', 'CaseRejected', 'HouseholdEnrolled', 'HouseholdExited']);

/** An open comparison query of an open case: a follow-up for the town, which settles it. */
function queryTask(s: CaseState, q: ComparisonQuery): WantedTask | undefined {
  if (q.status !== 'open' || s.status !== 'open') return undefined;
  return {
    // The case's own task at that version has no suffix: the two can never share an id.
    taskId: `${versionedTaskId(s.caseId, q.raisedAtVersion)}-1`,
    kind: 'follow_up',
    step: 'comparison_query',
    roles: ['town_official'],
    jurisdiction: s.location.town,
    householdHash: s.householdHash,
    round: q.queryId,
  };
}

/** While a step is escalated: a follow-up task for the level it went up to, in that level's place. */
function escalationTask(s: CaseState, last: StoredEvent): WantedTask | undefined {
  const level = s.escalation?.level;
  if (!level || s.status !== 'open' || !isDecisionStage(s.stage)) return undefined;
  return {
    taskId: versionedTaskId(s.caseId, last.version),
    kind: 'follow_up',
    step: s.stage,
    roles: [level === 'town' ? 'town_official' : 'county_official'],
    jurisdiction: codeAt(level, s),
    householdHash: s.householdHash,
    round: `${s.stageEnteredAt}/${level}`,
    dueAt: s.stageDueAt,
  };
}

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

/** A case's task: the decision or the objections it waits for, in its village, not for its applicant (none once it has ended). */
function caseTask(s: CaseState): WantedTask | undefined {
  const step = pendingStep(s);
  // The county's approval list holds no household with a comparison query still open: the town settles it first.
  if (step?.stage === 'county_approval' && openQueries(s).length > 0) return undefined;
  return (
    step && {
      taskId: versionedTaskId(s.caseId, s.version),
      kind: step.kind,
      step: step.stage,
      roles: rolesFor(step),
      // Nobody acts on their own application or exit proposal (an official's on-behalf id bars nobody).
      barred: [s.applicantId],
      jurisdiction: s.location.village,
      householdHash: s.householdHash,
      round: s.stageEnteredAt,
      dueAt: s.stageDueAt,
    }
  );
}
