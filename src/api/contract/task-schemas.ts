import { z } from 'zod';
import { STAGES } from '../../domain/case/stages';
import { ROLES } from '../../domain/roles';

export const TaskIdParams = z.object({ taskId: z.string().regex(/^task-[0-9a-f-]{36}-\d+$/, 'a task id') });

export const TaskView = z.object({
  taskId: z.string(),
  caseId: z.string().describe('the subject: a case, a disbursement, or a reconciliation stream id, by subjectType'),
  subjectType: z.enum(['case', 'disbursement', 'reconciliation']),
  kind: z.enum(['decision', 'objections']),
  stage: z.union([z.enum(STAGES), z.enum(['disbursement_approval_town', 'disbursement_approval_county']), z.string().regex(/^reconciliation_/)]),
  roles: z.array(z.enum(ROLES)),
  location: z.object({ county: z.string(), town: z.string(), village: z.string() }),
  householdHash: z.string().describe('send this back with the decision: it proves which household record you decided on'),
  createdAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  holder: z.string().nullable(),
});
export type TaskViewT = z.infer<typeof TaskView>;

export const TaskListView = z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() });
