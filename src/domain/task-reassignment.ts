/**
 * Issue #13: a supervisor gives an open task to another official, with a reason. A case, a
 * payout and a loan each record it on their own stream (TaskReassigned, ApprovalTaskReassigned,
 * LoanTaskReassigned); the command, the event's data and the rules common to all three are here.
 * Whether the new holder has the task's role and place is checked by the API against the directory.
 */
import { DomainError } from './errors';
import type { Actor } from './roles';

export interface ReassignTaskCommand {
  type: 'ReassignTask';
  taskId: string;
  /** Who held the task (null: nobody had claimed it). */
  from: string | null;
  to: string;
  reason: string;
  actor: Actor;
}

export interface Reassignment {
  taskId: string;
  from: string | null;
  to: string;
  reason: string;
  by: string;
}

/**
 * Only a supervisor reassigns; then the process's own rule (`stillOpen`: the step still waits
 * for someone); never to the official who holds it already. Returns what is recorded.
 */
export function reassignment(c: Omit<ReassignTaskCommand, 'type'>, stillOpen: () => void): Reassignment {
  if (c.actor.role !== 'supervisor') throw new DomainError('forbidden', 'only a supervisor reassigns a task');
  stillOpen();
  // An unfit assignee like any other (422): the one who holds it already cannot be given it again.
  if (c.from === c.to) throw new DomainError('invalid', `任务已由该用户办理 (the task is already held by ${c.to})`);
  return { taskId: c.taskId, from: c.from, to: c.to, reason: c.reason, by: c.actor.userId };
}
