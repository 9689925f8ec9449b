import type { Stage } from './case/stages';

/**
 * What a task can be about: one subject kind per process that waits for people. A new process
 * (loans, pairings, reviews) adds its kind here; the task table takes any kind by name.
 */
export const TASK_SUBJECT_KINDS = ['case', 'disbursement', 'reconciliation', 'loan', 'loan-batch', 'pairing', 'escalation', 'review', 'query'] as const;
export type TaskSubjectKind = (typeof TASK_SUBJECT_KINDS)[number];

/**
 * The steps that open a task beside a case's stages, one list for the projections that write
 * them and the inbox's contract that declares them: a step missing here cannot be written.
 */
export const PROCESS_TASK_STEPS = [
  'disbursement_approval_town',
  'disbursement_approval_county',
  'lost_contact',
  'annual_review',
  'batch_objection',
  'batch_signatures',
  'repayment_due',
  'repayment_overdue',
  'hardship_deferral',
  'hardship_write_off',
  'in_kind_confirmation',
  'comparison_query',
] as const;
/** A reconciliation finding's task is named by the finding's kind. */
export type TaskStep = Stage | (typeof PROCESS_TASK_STEPS)[number] | `reconciliation_${string}`;
