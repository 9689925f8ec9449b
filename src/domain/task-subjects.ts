/**
 * What a task can be about: one subject kind per process that waits for people. A new process
 * (loans, pairings, reviews) adds its kind here; the task table takes any kind by name.
 */
export const TASK_SUBJECT_KINDS = ['case', 'disbursement', 'reconciliation', 'loan', 'loan-batch', 'pairing', 'escalation', 'review', 'query'] as const;
export type TaskSubjectKind = (typeof TASK_SUBJECT_KINDS)[number];
