import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type { PageQuery } from '../contract/schemas';
import type { ReassignBody, TaskViewT } from '../contract/task-schemas';
import { findAccount } from '../../directory/accounts';
import { actsWithin, placeFits } from '../../domain/role-levels';
import type { UpdateDefinition } from '@temporalio/common';
import { reassignApprovalUpdate } from '../../workflows/disbursement';
import { loanWorkflowId, reassignLoanTaskUpdate } from '../../workflows/loan-messages';
import { reassignTaskUpdate, type ReassignTaskInput } from '../../workflows/identification-case';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { setCaseHolder } from '../../store/projections/cases-queries';
import { findTask, lockTask, openTasksFor, setTaskHolder, type TaskRow } from '../../store/projections/tasks-queries';
import { withTransaction } from '../../store/transaction';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';

const BARRED = '职责分离：您不能办理此任务，须由另一名工作人员办理 (separation of duties: another official must act on this task)';

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
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /**
   * Issue #13: a supervisor gives a task to another official. Who may receive it is checked
   * here against the directory; the change is recorded on the case by its workflow (the
   * stream's only writer), whose projection sets the new holder.
   */
  async reassign(user: AuthUser, taskId: string, body: z.infer<typeof ReassignBody>, idempotencyKey?: string) {
    const row = await findTask(this.pool, taskId);
    if (!row) throw notFound('the task');
    if (!actsWithin(user, row.jurisdiction)) throw forbidden('the task is outside your jurisdiction');
    if (row.status !== 'open') throw problem(409, 'task-closed', 'the task has already been done');
    const update = reassignUpdateOf(row.subject_kind, row.subject_id);
    if (!update) throw problem(409, 'not-reassignable', `tasks about a ${row.subject_kind} are not reassigned here yet: ask its holder to release it`);
    const to = await findAccount(this.pool, body.toUserId);
    const refuse = (message: string) => problem(422, 'wrong-assignee', message, [{ path: 'body.toUserId', message }]);
    if (!to?.active) throw refuse('没有这个在职用户 (no active user has this id)');
    if (to.user_id === row.holder) throw refuse(`任务已由该用户办理 (the task is already held by ${to.user_id})`);
    if (row.barred.includes(to.user_id)) throw refuse(BARRED);
    if (!row.roles.includes(to.role)) throw refuse(`任务需要角色 ${row.roles.join(' 或 ')} (the task needs the role ${row.roles.join(' or ')})`);
    if (!actsWithin({ role: to.role, jurisdiction: to.jurisdiction }, row.jurisdiction))
      throw refuse("该用户不在任务所属辖区工作 (the user does not work in the task's jurisdiction)");
    const command: ReassignTaskInput = { type: 'ReassignTask', taskId, from: row.holder, to: to.user_id, reason: body.reason, actor: user };
    await this.temporal.workflow
      .getHandle(workflowIdOf(row.subject_kind, row.subject_id))
      .executeUpdate(update, { updateId: `reassign:${user.userId}:${idempotencyKey ?? randomUUID()}`, args: [command] });
    const after = await findTask(this.pool, taskId);
    return toView(after ?? { ...row, holder: to.user_id });
  }

  /** Open tasks the caller's role can take, in the caller's jurisdiction, oldest first. */
  async inbox(user: AuthUser, q: z.infer<typeof PageQuery>) {
    // A role held at the wrong level takes nothing, rather than every place below it.
    if (!placeFits(user.role, user.jurisdiction)) return { items: [], nextCursor: null };
    const rows = await openTasksFor(this.pool, {
      userId: user.userId,
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
      if (row.barred.includes(user.userId)) throw forbidden(BARRED);
      if (row.status !== 'open') throw problem(409, 'task-closed', 'the task has already been done');
      const holder = next(row);
      await setTaskHolder(tx, taskId, holder);
      if (row.subject_kind === 'case') await setCaseHolder(tx, row.subject_id, holder);
      return toView({ ...row, holder });
    });
  }
}

/**
 * The Update of the workflow whose task this is, if its tasks can be reassigned (issue #13): a
 * case's steps, a payout's approvals, the escalations of either, and a loan's tasks (repayment
 * due or late, hardship, in kind). All take the same input.
 */
function reassignUpdateOf(kind: string, subjectId: string): UpdateDefinition<unknown, [ReassignTaskInput]> | undefined {
  const payout = subjectId.startsWith('disb-');
  if (kind === 'case' || (kind === 'escalation' && !payout)) return reassignTaskUpdate;
  if (kind === 'disbursement' || (kind === 'escalation' && payout)) return reassignApprovalUpdate;
  if (kind === 'loan') return reassignLoanTaskUpdate;
  return undefined;
}

/** A task's subject id names its workflow, except a loan's: `{loanId}` or `{loanId}/{what}`, run by `loan-wf-{loanId}`. */
function workflowIdOf(kind: string, subjectId: string): string {
  return kind === 'loan' ? loanWorkflowId(subjectId.split('/')[0]) : subjectId;
}
