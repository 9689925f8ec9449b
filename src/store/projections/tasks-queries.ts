import type { PoolClient } from 'pg';
import type { Role } from '../../domain/roles';
import type { TaskSubjectKind } from '../../domain/task-subjects';
import type { Queryable } from '../db';
import { scopeColumn } from '../scope';

/** A row of the `tasks` read model (migration 013), as the inbox shows it. */
export interface TaskRow {
  task_id: string;
  subject_kind: TaskSubjectKind;
  subject_id: string;
  kind: 'decision' | 'objections' | 'follow_up';
  step: string;
  roles: Role[];
  /** Users separation of duties keeps from this task (migration 026). */
  barred: string[];
  jurisdiction: string;
  county: string;
  town: string;
  village: string;
  household_hash: string;
  created_at: Date;
  due_at: Date | null;
  holder: string | null;
}

const COLUMNS = 'task_id, subject_kind, subject_id, kind, step, roles, barred, jurisdiction, county, town, village, household_hash, created_at, due_at, holder';

/**
 * Open tasks a role may take within a jurisdiction, but not those the user is barred from, oldest first, after the keyset cursor
 * (created_at, task_id); `limit` rows at most. Equality on the jurisdiction's level column
 * (the inbox indexes).
 */
export async function openTasksFor(
  db: Queryable,
  q: { userId?: string; jurisdiction: string; role: Role; after: [string, string] | null; limit: number },
): Promise<TaskRow[]> {
  const [afterAt, afterId] = q.after ?? [null, null];
  return (
    await db.query<TaskRow>(
      `SELECT ${COLUMNS} FROM tasks
     WHERE status = 'open' AND ${scopeColumn(q.jurisdiction)} = $1 AND $2 = ANY(roles) AND ($6::text IS NULL OR NOT ($6 = ANY(barred)))
       AND ($3::timestamptz IS NULL OR (created_at, task_id) > ($3, $4))
     ORDER BY created_at, task_id LIMIT $5`,
      [q.jurisdiction, q.role, afterAt, afterId, q.limit, q.userId ?? null],
    )
  ).rows;
}

export async function findTask(db: Queryable, taskId: string): Promise<(TaskRow & { status: 'open' | 'done' }) | undefined> {
  return (await db.query<TaskRow & { status: 'open' | 'done' }>(`SELECT ${COLUMNS}, status FROM tasks WHERE task_id = $1`, [taskId])).rows[0];
}

/** The task, locked until the transaction ends (so two claims of it take turns). */
export async function lockTask(tx: PoolClient, taskId: string): Promise<(TaskRow & { status: 'open' | 'done' }) | undefined> {
  return (await tx.query<TaskRow & { status: 'open' | 'done' }>(`SELECT ${COLUMNS}, status FROM tasks WHERE task_id = $1 FOR UPDATE`, [taskId])).rows[0];
}

/** Sets who holds the task (null: nobody), and since when. */
export async function setTaskHolder(tx: PoolClient, taskId: string, holder: string | null): Promise<void> {
  await tx.query('UPDATE tasks SET holder = $2, claimed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END WHERE task_id = $1', [taskId, holder]);
}

/**
 * A supervisor's reassignment (issue #13, recorded on the case as TaskReassigned): the task, if
 * still open, gets its new holder from now, and a case task's case shows the same holder.
 */
export async function reassignTask(tx: PoolClient, caseId: string, taskId: string, to: string): Promise<void> {
  const r = await tx.query<{ subject_kind: string }>(
    "UPDATE tasks SET holder = $2, claimed_at = now() WHERE task_id = $1 AND status = 'open' RETURNING subject_kind",
    [taskId, to],
  );
  if (r.rows[0]?.subject_kind === 'case') await tx.query('UPDATE cases SET holder = $2 WHERE case_id = $1', [caseId, to]);
}
