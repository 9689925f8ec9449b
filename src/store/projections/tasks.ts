import type { PoolClient } from 'pg';
import { DECIDER_ROLE, RESOLVER_ROLES, isDecisionStage, isPublicityStage, pendingStep, type CaseState } from '../../domain/case';
import type { Role } from '../../domain/roles';
import { registerHouseholdKey } from '../household-keys';

/** The roles that can take the case's pending step. */
export function rolesFor(step: NonNullable<ReturnType<typeof pendingStep>>): Role[] {
  if (isDecisionStage(step.stage)) return [DECIDER_ROLE[step.stage]];
  if (isPublicityStage(step.stage)) return [...RESOLVER_ROLES[step.stage]];
  return [];
}

/** The human step a subject waits for, as the inbox shows it. */
export interface WantedTask {
  kind: 'decision' | 'objections';
  stage: string;
  roles: Role[];
  location: { county: string; town: string; village: string };
  householdHash: string;
  /** Identifies the round: the same step entered again (after a return) is a new task. */
  round: string;
  dueAt?: string;
}

/**
 * Keeps at most one open task per subject (a case or a disbursement). The same step as before
 * (same kind, stage and round) keeps its task and holder; anything else closes it.
 */
export async function syncOpenTask(tx: PoolClient, subject: { type: 'case' | 'disbursement'; id: string; version: number }, want: WantedTask | undefined, at: string): Promise<void> {
  const open = (await tx.query<{ task_id: string; kind: string; stage: string; stage_entered_at: string }>(
    `SELECT task_id, kind, stage, stage_entered_at FROM tasks WHERE case_id = $1 AND status = 'open'`, [subject.id],
  )).rows[0];
  const same = open && want && open.kind === want.kind && open.stage === want.stage && open.stage_entered_at === want.round;
  if (open && !same) await tx.query(`UPDATE tasks SET status = 'done', closed_at = $2 WHERE task_id = $1`, [open.task_id, at]);
  if (same) {
    await tx.query('UPDATE tasks SET household_hash = $2 WHERE task_id = $1', [open.task_id, want.householdHash]);
    return;
  }
  if (!want) return;
  await tx.query(
    `INSERT INTO tasks (task_id, case_id, subject_type, kind, stage, roles, county, town, village, household_hash, stage_entered_at, created_at, due_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open')`,
    [`task-${subject.id.replace(/^[a-z]+-/, '')}-${subject.version}`, subject.id, subject.type, want.kind, want.stage, want.roles,
      want.location.county, want.location.town, want.location.village, want.householdHash, want.round, at, want.dueAt ?? null],
  );
}

/** A case's task: the decision or the objections it waits for. */
export async function projectTask(tx: PoolClient, s: CaseState, at: string): Promise<void> {
  const step = pendingStep(s);
  await syncOpenTask(tx, { type: 'case', id: s.caseId, version: s.version }, step && {
    kind: step.kind, stage: step.stage, roles: rolesFor(step), location: s.location, householdHash: s.householdHash, round: s.stageEnteredAt, dueAt: s.stageDueAt,
  }, at);
}

/**
 * Where a household stands, from its latest case: applying / enrolled / rejected for an entry
 * case; an exit case leaves it enrolled until the exit is announced.
 */
export function householdStatus(s: CaseState): 'applying' | 'enrolled' | 'rejected' | 'exited' {
  if (s.procedure === 'exit') return s.status === 'exited' ? 'exited' : 'enrolled';
  return s.status === 'open' ? 'applying' : s.status === 'enrolled' ? 'enrolled' : 'rejected';
}

/** The household registry: who is in which household, and how it stands. */
export async function projectHousehold(tx: PoolClient, s: CaseState, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (household_id) DO UPDATE SET village = EXCLUDED.village, members = EXCLUDED.members,
       member_id_hashes = EXCLUDED.member_id_hashes, status = EXCLUDED.status, current_case_id = EXCLUDED.current_case_id, updated_at = EXCLUDED.updated_at`,
    [s.householdId, s.location.village, JSON.stringify(s.household.members.map(({ name, relation, idMasked, idHash, age, ableToWork, health }) => ({ name, relation, idMasked, idHash, age, ableToWork, health }))),
      s.household.members.map((m) => m.idHash), householdStatus(s), s.caseId, at],
  );
  const head = s.household.members.find((m) => m.relation === 'head') ?? s.household.members[0];
  await registerHouseholdKey(tx, head.idHash, s.householdId);
}
