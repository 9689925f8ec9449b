import type { PoolClient } from 'pg';
import type { Role } from '../../domain/roles';
import type { TaskSubjectKind } from '../../domain/task-subjects';

/** What a task is about: a case, a disbursement, one finding of a reconciliation, … */
export interface TaskSubject {
  kind: TaskSubjectKind;
  id: string;
}

/** The human step a subject waits for, as the inbox shows it. */
export interface WantedTask {
  /** Its id, if it opens now. */
  taskId: string;
  kind: 'decision' | 'objections';
  step: string;
  roles: Role[];
  /** The most specific place the task sits in: whoever may act works there or above. */
  jurisdiction: string;
  /** Proves which record was decided on (a case's household); '' when the subject has none. */
  householdHash: string;
  /** Identifies the round: the same step entered again (after a return) is a new task. */
  round: string;
  dueAt?: string;
  escalateAt?: string;
}

/** The id of a subject's task opened at this version of its stream (`task-{uuid}-{version}`). */
export const versionedTaskId = (subjectId: string, version: number) => `task-${subjectId.replace(/^[a-z]+-/, '')}-${version}`;

/**
 * Keeps at most one open task per subject. The same step as before (same kind, step and round)
 * keeps its task and holder; anything else closes it, and opens the one wanted, if any.
 */
export async function syncOpenTask(tx: PoolClient, subject: TaskSubject, want: WantedTask | undefined, at: string): Promise<void> {
  const open = (
    await tx.query<{ task_id: string; kind: string; step: string; round: string }>(
      `SELECT task_id, kind, step, round FROM tasks WHERE subject_kind = $1 AND subject_id = $2 AND status = 'open'`,
      [subject.kind, subject.id],
    )
  ).rows[0];
  const same = open && want && open.kind === want.kind && open.step === want.step && open.round === want.round;
  if (open && !same) await tx.query(`UPDATE tasks SET status = 'done', closed_at = $2 WHERE task_id = $1`, [open.task_id, at]);
  if (same) {
    await tx.query('UPDATE tasks SET household_hash = $2 WHERE task_id = $1', [open.task_id, want.householdHash]);
    return;
  }
  if (!want) return;
  await tx.query(
    `INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, round, roles, jurisdiction, household_hash, created_at, due_at, escalate_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open')`,
    [
      want.taskId,
      subject.kind,
      subject.id,
      want.kind,
      want.step,
      want.round,
      want.roles,
      want.jurisdiction,
      want.householdHash,
      at,
      want.dueAt ?? null,
      want.escalateAt ?? null,
    ],
  );
}

/** Who holds the subject's open task (null when nobody does, or there is none). */
export async function openTaskHolder(tx: PoolClient, subject: TaskSubject): Promise<string | null> {
  return (
    (
      await tx.query<{ holder: string | null }>(`SELECT holder FROM tasks WHERE subject_kind = $1 AND subject_id = $2 AND status = 'open'`, [
        subject.kind,
        subject.id,
      ])
    ).rows[0]?.holder ?? null
  );
}
