import type { PoolClient } from 'pg';
import type { Role } from '../../domain/roles';
import type { TaskStep, TaskSubjectKind } from '../../domain/task-subjects';

/** What a task is about: a case, a disbursement, one finding of a reconciliation, … */
export interface TaskSubject {
  kind: TaskSubjectKind;
  id: string;
}

/** The human step a subject waits for, as the inbox shows it. */
export interface WantedTask {
  /** Its id, if it opens now. */
  taskId: string;
  /** follow_up: something to look into (a household that lost contact with its helper), no decision. */
  kind: 'decision' | 'objections' | 'follow_up';
  step: TaskStep;
  roles: Role[];
  /** Who may not act on it though role and place fit: separation of duties (the valuer of what it confirms, say). */
  barred?: string[];
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
 * keeps its task and holder; anything else closes it, and opens the one wanted, if any. One
 * statement: the database function sync_open_task (migration 017) does it.
 */
export async function syncOpenTask(tx: PoolClient, subject: TaskSubject, want: WantedTask | undefined, at: string): Promise<void> {
  await tx.query('SELECT sync_open_task($1, $2, $3::jsonb, $4)', [subject.kind, subject.id, want ? JSON.stringify(want) : null, at]);
}
