import type { PoolClient } from 'pg';
import { DECIDER_ROLE, RESOLVER_ROLES, evolve, isDecisionStage, isPublicityStage, pendingStep, type CaseEvent, type CaseState } from '../../domain/case';
import type { Role } from '../../domain/roles';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';
import { projectHousehold } from './households';
import { openTaskHolder, syncOpenTask, versionedTaskId } from './tasks';

/**
 * Keeps the `cases` read model in step with each case's events, folding them with the
 * domain's own evolve() so the read side can never disagree with the rules.
 */
export const caseProjector = projectorOf([STREAM_TYPE.case], async (tx, events) => {
  const caseId = events[0].streamId;
  const before = (await tx.query<{ state: CaseState }>('SELECT state FROM cases WHERE case_id = $1 FOR UPDATE', [caseId])).rows[0]?.state;
  const state = events.reduce<CaseState | undefined>((s, e) => evolve(s, { type: e.type, data: e.data } as CaseEvent), before);
  if (!state) return;
  const last = events[events.length - 1];
  await writeCase(tx, state, last);
  await projectCaseTask(tx, state, last.recordedAt);
  await projectHousehold(tx, state, last.recordedAt);
  // Who holds the case is who holds its open task (none once the step is taken).
  await tx.query('UPDATE cases SET holder = $2 WHERE case_id = $1', [caseId, await openTaskHolder(tx, { kind: 'case', id: caseId })]);
  for (const o of state.objections) {
    await tx.query(
      `INSERT INTO objections (objection_id, case_id, stage, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (objection_id) DO UPDATE SET status = EXCLUDED.status`,
      [o.objectionId, state.caseId, o.stage, o.status],
    );
  }
});

async function writeCase(tx: PoolClient, s: CaseState, last: StoredEvent): Promise<void> {
  await tx.query(
    `INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state,
       household_hash, reason, opened_at, stage_entered_at, stage_due_at, holder, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, $16, $13)
     ON CONFLICT (case_id) DO UPDATE SET
       stage = EXCLUDED.stage, status = EXCLUDED.status, household = EXCLUDED.household, state = EXCLUDED.state,
       household_hash = EXCLUDED.household_hash, reason = EXCLUDED.reason,
       stage_entered_at = EXCLUDED.stage_entered_at, stage_due_at = EXCLUDED.stage_due_at,
       version = EXCLUDED.version, updated_at = $13`,
    [
      s.caseId,
      s.householdId,
      s.applicantId,
      s.location.county,
      s.location.town,
      s.location.village,
      s.stage,
      s.status,
      s.household,
      s,
      s.householdHash,
      s.reason ?? null,
      last.recordedAt,
      s.stageEnteredAt || last.recordedAt,
      s.stageDueAt ?? null,
      s.version,
    ],
  );
}

/** The roles that can take the case's pending step. */
export function rolesFor(step: NonNullable<ReturnType<typeof pendingStep>>): Role[] {
  if (isDecisionStage(step.stage)) return [DECIDER_ROLE[step.stage]];
  if (isPublicityStage(step.stage)) return [...RESOLVER_ROLES[step.stage]];
  return [];
}

/** A case's task: the decision or the objections it waits for, in its village. */
async function projectCaseTask(tx: PoolClient, s: CaseState, at: string): Promise<void> {
  const step = pendingStep(s);
  await syncOpenTask(
    tx,
    { kind: 'case', id: s.caseId },
    step && {
      taskId: versionedTaskId(s.caseId, s.version),
      kind: step.kind,
      step: step.stage,
      roles: rolesFor(step),
      jurisdiction: s.location.village,
      householdHash: s.householdHash,
      round: s.stageEnteredAt,
      dueAt: s.stageDueAt,
    },
    at,
  );
}
