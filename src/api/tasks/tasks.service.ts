import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type { PageQuery } from '../contract/schemas';
import type { TaskViewT } from '../contract/task-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { scopeColumn } from '../../store/scope';
import { PG_POOL } from '../tokens';

interface TaskRow {
  task_id: string; case_id: string; subject_type: 'case' | 'disbursement' | 'reconciliation'; kind: 'decision' | 'objections'; stage: string; roles: string[];
  county: string; town: string; village: string; household_hash: string; created_at: Date; due_at: Date | null; holder: string | null;
}
const COLUMNS = 'task_id, case_id, subject_type, kind, stage, roles, county, town, village, household_hash, created_at, due_at, holder';

function toView(r: TaskRow, now = Date.now()): TaskViewT {
  return {
    taskId: r.task_id, caseId: r.case_id, subjectType: r.subject_type, kind: r.kind, stage: r.stage as TaskViewT['stage'], roles: r.roles as TaskViewT['roles'],
    location: { county: r.county, town: r.town, village: r.village }, householdHash: r.household_hash,
    createdAt: r.created_at.toISOString(), dueAt: r.due_at?.toISOString() ?? null, overdue: r.due_at !== null && r.due_at.getTime() < now, holder: r.holder,
  };
}

@Injectable()
export class TasksService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Open tasks the caller's role can take, in the caller's jurisdiction, oldest first. */
  async inbox(user: AuthUser, q: z.infer<typeof PageQuery>) {
    const [afterAt, afterId] = q.cursor ? decodeCursor(q.cursor) : [null, null];
    const rows = (await this.pool.query<TaskRow>(
      `SELECT ${COLUMNS} FROM tasks
       WHERE status = 'open' AND ${scopeColumn(user.jurisdiction)} = $1 AND $2 = ANY(roles)
         AND ($3::timestamptz IS NULL OR (created_at, task_id) > ($3, $4))
       ORDER BY created_at, task_id LIMIT $5`,
      [user.jurisdiction, user.role, afterAt, afterId, q.limit + 1],
    )).rows;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => toView(r)), nextCursor: rows.length > q.limit && last ? encodeCursor(last.created_at.toISOString(), last.task_id) : null };
  }

  /** Takes a task atomically: 409 when someone else already holds it or it is done. */
  claim(user: AuthUser, taskId: string) {
    return this.setHolder(user, taskId, (row) => {
      if (row.holder && row.holder !== user.userId) throw problem(409, 'task-held', `the task is held by ${row.holder}`);
      return user.userId;
    });
  }

  /** Gives a task back: only its holder can. */
  release(user: AuthUser, taskId: string) {
    return this.setHolder(user, taskId, (row) => {
      if (row.holder !== user.userId) throw problem(409, 'task-not-yours', row.holder ? `the task is held by ${row.holder}` : 'nobody holds the task');
      return null;
    });
  }

  /** Locks the task row, checks who may touch it, and sets its holder (and its case's) in one transaction. */
  private async setHolder(user: AuthUser, taskId: string, next: (row: TaskRow) => string | null) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const row = (await client.query<TaskRow & { status: string }>(`SELECT ${COLUMNS}, status FROM tasks WHERE task_id = $1 FOR UPDATE`, [taskId])).rows[0];
      if (!row) throw notFound('the task');
      assertInJurisdiction(user, row.village);
      if (!row.roles.includes(user.role)) throw forbidden(`this task needs the role ${row.roles.join(' or ')}`);
      if (row.status !== 'open') throw problem(409, 'task-closed', 'the task has already been done');
      const holder = next(row);
      await client.query('UPDATE tasks SET holder = $2, claimed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END WHERE task_id = $1', [taskId, holder]);
      if (row.subject_type === 'case') await client.query('UPDATE cases SET holder = $2 WHERE case_id = $1', [row.case_id, holder]);
      await client.query('COMMIT');
      return toView({ ...row, holder });
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }
}
