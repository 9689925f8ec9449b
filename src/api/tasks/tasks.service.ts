import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type { PageQuery } from '../contract/schemas';
import type { TaskViewT } from '../contract/task-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { setCaseHolder } from '../../store/projections/cases-queries';
import { lockTask, openTasksFor, setTaskHolder, type TaskRow } from '../../store/projections/tasks-queries';
import { withTransaction } from '../../store/transaction';
import { PG_POOL } from '../tokens';

function toView(r: TaskRow, now = Date.now()): TaskViewT {
  return {
    taskId: r.task_id,
    caseId: r.subject_id,
    subjectType: r.subject_kind,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    kind: r.kind,
    stage: r.step as TaskViewT['stage'],
    roles: r.roles,
    location: { county: r.county, town: r.town, village: r.village },
    jurisdiction: r.jurisdiction,
    householdHash: r.household_hash,
    createdAt: r.created_at.toISOString(),
    dueAt: r.due_at?.toISOString() ?? null,
    overdue: r.due_at !== null && r.due_at.getTime() < now,
    holder: r.holder,
  };
}

@Injectable()
export class TasksService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Open tasks the caller's role can take, in the caller's jurisdiction, oldest first. */
  async inbox(user: AuthUser, q: z.infer<typeof PageQuery>) {
    const rows = await openTasksFor(this.pool, {
      jurisdiction: user.jurisdiction,
      role: user.role,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: q.limit + 1,
    });
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
  private setHolder(user: AuthUser, taskId: string, next: (row: TaskRow) => string | null) {
    return withTransaction(this.pool, async (tx) => {
      const row = await lockTask(tx, taskId);
      if (!row) throw notFound('the task');
      assertInJurisdiction(user, row.jurisdiction);
      if (!row.roles.includes(user.role)) throw forbidden(`this task needs the role ${row.roles.join(' or ')}`);
      if (row.status !== 'open') throw problem(409, 'task-closed', 'the task has already been done');
      const holder = next(row);
      await setTaskHolder(tx, taskId, holder);
      if (row.subject_kind === 'case') await setCaseHolder(tx, row.subject_id, holder);
      return toView({ ...row, holder });
    });
  }
}
