import type { RouteSpec } from './route-spec';
import { PageQuery } from './schemas';
import { ReassignBody, TaskIdParams, TaskListView, TaskView } from './task-schemas';

export const taskRoutes = {
  listTasks: {
    method: 'get',
    path: '/tasks',
    tag: 'tasks',
    summary: 'Pending human steps the caller may act on, oldest first',
    description: "Open tasks for the caller's role within the caller's jurisdiction, with due times and who holds each.",
    access: ['village_official', 'town_official', 'county_official', 'fund_manager'],
    query: PageQuery,
    success: { status: 200, description: 'a page of tasks', schema: TaskListView },
    errors: [400, 401, 403],
  },
  claimTask: {
    method: 'post',
    path: '/tasks/{taskId}/claim',
    tag: 'tasks',
    summary: 'Take a task so that others see who holds it',
    access: ['village_official', 'town_official', 'county_official'],
    params: TaskIdParams,
    success: { status: 200, description: 'the task, held by the caller', schema: TaskView },
    errors: [401, 403, 404, 409],
  },
  releaseTask: {
    method: 'post',
    path: '/tasks/{taskId}/release',
    tag: 'tasks',
    summary: 'Give a task back so that someone else can take it',
    access: ['village_official', 'town_official', 'county_official', 'fund_manager'],
    params: TaskIdParams,
    success: { status: 200, description: 'the task, held by nobody', schema: TaskView },
    errors: [401, 403, 404, 409],
  },
  reassignTask: {
    method: 'post',
    path: '/tasks/{taskId}/reassign',
    tag: 'tasks',
    summary: 'Give a task to another official of the right role and jurisdiction, with a reason (recorded on the case, payout or loan)',
    description:
      "Issue #13. For a case's decision or objections, a payout's approval, an escalated step's follow-up of either, and a loan's tasks; other tasks are 409 not-reassignable. The new holder must be active, hold one of the task's roles, and work in or above its jurisdiction.",
    access: ['supervisor'],
    params: TaskIdParams,
    body: ReassignBody,
    idempotent: true,
    example: { toUserId: 'town-heping-2', reason: '原经办人病假 / the holder is on sick leave' },
    success: { status: 200, description: 'the task, held by the new holder', schema: TaskView },
    errors: [400, 401, 403, 404, 409, 422],
  },
} satisfies Record<string, RouteSpec>;
