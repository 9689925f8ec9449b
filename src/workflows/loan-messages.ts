/**
 * What the API and the loan workflows say to each other: workflow ids, inputs, Updates and
 * Queries of `loanBatch` (one cycle's households) and `revolvingLoan` (one loan, for years).
 * Human steps are Updates with validators: the API gets the new state back, or the domain's
 * refusal, synchronously. The API derives each Update id from the caller and its
 * Idempotency-Key; the deciders also dedupe by the ids in the commands (repaymentId, …), which
 * holds across continue-as-new.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/roles';
import type { BatchHousehold, HardshipCause, SignatureMethod } from '../domain/loans/events';
import type { LoanTerms } from '../domain/loans/terms';

export const LOAN_WORKFLOWS = { batch: 'loanBatch', loan: 'revolvingLoan' } as const;
export const loanBatchWorkflowId = (batchId: string) => `loan-batch-${batchId}`;
export const loanWorkflowId = (loanId: string) => `loan-wf-${loanId}`;

export interface LoanBatchInput {
  batchId: string;
  schemeId: string;
  fundId: string;
  fundAccount: string;
  cycle: number;
  termsVersion: number;
  terms: LoanTerms;
  households: BatchHousehold[];
  /** ISO durations: how long the list is publicised, and how long households then have to sign. */
  publicityPeriod: string;
  signingPeriod: string;
  proposedBy: string;
  /** Issue #13: how long into its lateness a reminded, unpaid instalment goes up to the town (and as much again to the county). */
  escalateAfter?: string;
}

/** What `loanBatch` answers with (Updates and the Query): the batch as its stream has it. */
export interface LoanBatchView {
  batchId: string;
  schemeId: string;
  cycle: number;
  status: 'publicity' | 'signing' | 'paying' | 'completed';
  publicityEndsAt: string;
  signingEndsAt?: string;
  households: { householdId: string; village: string; status: 'proposed' | 'removed' | 'signed' | 'unsigned' | 'paid' | 'failed'; loanId?: string }[];
  objections: { objectionId: string; householdId: string; resolved: boolean; substantiated?: boolean }[];
  loansPaid: number;
  paidFen: number;
  version: number;
}

export const loanBatchQuery = defineQuery<LoanBatchView | undefined>('loanBatch');
export const raiseBatchObjectionUpdate = defineUpdate<LoanBatchView, [{ objectionId: string; householdId: string; reason: string; actor: Actor }]>(
  'raiseBatchObjection',
);
export const resolveBatchObjectionUpdate = defineUpdate<LoanBatchView, [{ objectionId: string; substantiated: boolean; finding: string; actor: Actor }]>(
  'resolveBatchObjection',
);
export const signAgreementUpdate = defineUpdate<
  LoanBatchView,
  [{ householdId: string; method: SignatureMethod; agreementHash: string; scanHash?: string; actor: Actor }]
>('signAgreement');

/** What `revolvingLoan` answers with: the loan as its stream has it (LoanState in the domain). */
export type LoanView = import('../domain/loans/loan').LoanState;

export interface RevolvingLoanInput {
  loanId: string;
  schemeId: string;
  batchId: string;
  fundId: string;
  household: BatchHousehold;
  terms: LoanTerms;
  termsVersion: number;
  disbursementId: string;
  /** The payout's settlement day: the loan workflow starts once its money has been paid. */
  paidOn: string;
  /** Days before each due date that the village official is reminded. */
  reminderDays: number;
  /** Issue #13: see LoanBatchInput.escalateAfter; loans started before it use ESCALATE_AFTER_DEFAULT. */
  escalateAfter?: string;
  /** Carried across continue-as-new. */
  carried?: { state: LoanView; processedUpdateIds: string[] };
}

export const loanQuery = defineQuery<LoanView | undefined>('loan');
export const recordRepaymentUpdate = defineUpdate<
  LoanView,
  [{ repaymentId: string; amountFen: number; method: 'cash' | 'bank_transfer'; reference: string; receivedOn: string; actor: Actor }]
>('recordRepayment');
export const valueInKindUpdate = defineUpdate<LoanView, [{ valuationId: string; amountFen: number; description: string; receivedOn: string; actor: Actor }]>(
  'valueInKind',
);
export const confirmInKindUpdate = defineUpdate<LoanView, [{ valuationId: string; repaymentId: string; actor: Actor }]>('confirmInKind');
export const rejectInKindUpdate = defineUpdate<LoanView, [{ valuationId: string; reason: string; actor: Actor }]>('rejectInKind');
export const reverseRepaymentUpdate = defineUpdate<LoanView, [{ repaymentId: string; reason: string; actor: Actor }]>('reverseRepayment');
export const reportHardshipUpdate = defineUpdate<
  LoanView,
  [{ hardshipId: string; cause: HardshipCause; evidenceHash?: string; proposal: 'deferral' | 'write_off'; deferMonths?: number; note: string; actor: Actor }]
>('reportHardship');
/** Issue #13: a supervisor gives one of the loan's open tasks to another official (recorded on the loan). */
export const reassignLoanTaskUpdate = defineUpdate<
  LoanView,
  [{ type: 'ReassignTask'; taskId: string; from: string | null; to: string; reason: string; actor: Actor }]
>('reassignTask');
export const decideHardshipUpdate = defineUpdate<LoanView, [{ hardshipId: string; approve: boolean; reason: string; actor: Actor }]>('decideHardship');
