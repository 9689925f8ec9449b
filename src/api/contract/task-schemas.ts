import { z } from 'zod';
import { STAGES } from '../../domain/case/stages';
import { ROLES } from '../../domain/roles';
import { UserIdParams } from './auth-schemas';
import { prose } from './text';
import { PROCESS_TASK_STEPS, TASK_SUBJECT_KINDS } from '../../domain/task-subjects';

// A loan's subject id ends in its number in the batch (`loan-{uuid}-{n}`), so its tasks carry two numbers.
export const TaskIdParams = z.object({ taskId: z.string().regex(/^task-[0-9a-f-]{36}(?:-\d{1,15}){1,2}$/, 'a task id') });

export const ReassignBody = z.object({
  toUserId: UserIdParams.shape.userId.describe('the official who takes the task over'),
  reason: prose(2000),
});

export const TaskView = z.object({
  taskId: z.string(),
  caseId: z
    .string()
    .describe(
      'the subject: a case, a disbursement, or a reconciliation stream id, by subjectType (the same as subjectId; kept for clients written before subjectId)',
    ),
  subjectType: z.enum(TASK_SUBJECT_KINDS).describe('the same as subjectKind (kept for clients written before subjectKind)'),
  subjectKind: z.enum(TASK_SUBJECT_KINDS).describe('what the task is about; more kinds come with new processes'),
  subjectId: z
    .string()
    .describe('the id of the subject: a case id, a disbursement id, `{reconciliation stream id}/{finding}`, or `{case id}/{query id}` for a comparison query'),
  kind: z
    .enum(['decision', 'objections', 'follow_up'])
    .describe(
      'follow_up: something to look into: a household that lost contact with its helper, or a comparison query (疑点, stage comparison_query) to settle',
    ),
  stage: z
    .union([z.enum(STAGES), z.enum(PROCESS_TASK_STEPS), z.string().regex(/^reconciliation_/)])
    .describe(
      "the step the subject waits for: a case's stage, a payout's approval, a loan's or a batch's step, a comparison query, or a reconciliation finding's",
    ),
  roles: z.array(z.enum(ROLES)),
  location: z.object({ county: z.string(), town: z.string(), village: z.string() }),
  jurisdiction: z
    .string()
    .describe("the most specific place the task sits in (a village, or a fund's county, town or village): whoever may act works there or above"),
  householdHash: z.string().describe('send this back with the decision: it proves which household record you decided on'),
  createdAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  holder: z.string().nullable(),
});
export type TaskViewT = z.infer<typeof TaskView>;

export const TaskListView = z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() });
