import type { Queryable } from '../db';

export interface CaseCountRow {
  stage: string;
  status: string;
  cases: number;
}

/** Every case by stage and status (an index-only scan of cases_stage_status_idx, migration 019). */
export async function caseCountsByStageAndStatus(db: Queryable): Promise<CaseCountRow[]> {
  return (await db.query<CaseCountRow>('SELECT stage, status, count(*)::int AS cases FROM cases GROUP BY stage, status ORDER BY stage, status')).rows;
}

export interface OpenTaskCountRow {
  kind: string;
  step: string;
  open: number;
  /** Open tasks whose due time is before `now`. */
  overdue: number;
}

/** Open tasks by subject kind and step, and those past due at `now` (tasks_open_step_due_idx, migration 019). */
export async function openTaskCounts(db: Queryable, now: Date): Promise<OpenTaskCountRow[]> {
  return (
    await db.query<OpenTaskCountRow>(
      `SELECT subject_kind AS kind, step, count(*)::int AS open, count(*) FILTER (WHERE due_at < $1)::int AS overdue
         FROM tasks WHERE status = 'open' GROUP BY subject_kind, step ORDER BY subject_kind, step`,
      [now],
    )
  ).rows;
}
