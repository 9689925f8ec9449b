/**
 * Idempotency keys for the loan streams' events and the pool fund's recoveries: derived from
 * the stream and the ids the event carries, so a retried command (an activity retried, an
 * Update redelivered after continue-as-new) stores nothing twice. Keys are unique across the
 * whole store, hence the stream id in each. An event that may legitimately recur (a loan
 * closed, reopened by a reversal, and closed again) is keyed by its place in the stream.
 */
import { assertNever } from '../errors';
import type { FundEvent } from '../funds/fund-events';
import type { BatchEvent, LoanEvent, SchemeEvent } from './events';

export function loanEventKey(loanId: string, e: LoanEvent, version: number): string {
  switch (e.type) {
    case 'LoanOpened':
      return `${loanId}:opened`;
    case 'LoanDisbursed':
      return `${loanId}:disbursed`;
    case 'LoanCancelled':
      return `${loanId}:cancelled`;
    case 'RepaymentRecorded':
      return `${loanId}:repayment:${e.data.repaymentId}`;
    case 'RepaymentReversed':
      return `${loanId}:repayment:${e.data.repaymentId}:reversed`;
    case 'InKindValued':
      return `${loanId}:valuation:${e.data.valuationId}`;
    case 'InKindRejected':
      return `${loanId}:valuation:${e.data.valuationId}:rejected`;
    case 'ReminderIssued':
      return `${loanId}:reminder:${e.data.instalment}:${e.data.dueDate}`;
    case 'LoanTaskReassigned':
      return `${loanId}:reassigned#${version}`;
    case 'RepaymentEscalated':
      return `${loanId}:overdue:${e.data.instalment}:${e.data.dueDate}:${e.data.level}`;
    case 'HardshipReported':
      return `${loanId}:hardship:${e.data.hardshipId}`;
    case 'DeferralGranted':
      return `${loanId}:hardship:${e.data.hardshipId}:granted`;
    case 'HardshipRejected':
      return `${loanId}:hardship:${e.data.hardshipId}:rejected`;
    case 'WriteOffApproved':
      return `${loanId}:hardship:${e.data.hardshipId}:approved:${e.data.approvedBy}`;
    case 'LoanWrittenOff':
      return `${loanId}:written_off`;
    case 'LoanClosed':
      return `${loanId}:closed#${version}`;
    case 'LoanReopened':
      return `${loanId}:reopened#${version}`;
    default:
      return assertNever(e);
  }
}

export function schemeEventKey(schemeId: string, e: SchemeEvent): string {
  switch (e.type) {
    case 'SchemeCreated':
      return `${schemeId}:created`;
    case 'TermsRevised':
      return `${schemeId}:terms:${e.data.termsVersion}`;
    case 'BatchProposed':
      return `${schemeId}:batch:${e.data.batchId}`;
    case 'BatchSettled':
      return `${schemeId}:batch:${e.data.batchId}:settled`;
    default:
      return assertNever(e);
  }
}

export function batchEventKey(batchId: string, e: BatchEvent): string {
  switch (e.type) {
    case 'BatchOpened':
      return `${batchId}:opened`;
    case 'BatchObjectionRaised':
      return `${batchId}:objection:${e.data.objectionId}`;
    case 'BatchObjectionResolved':
      return `${batchId}:objection:${e.data.objectionId}:resolved`;
    case 'BatchPublicityEnded':
      return `${batchId}:publicity-ended`;
    case 'AgreementSigned':
      return `${batchId}:signed:${e.data.householdId}`;
    case 'SigningClosed':
      return `${batchId}:signing-closed`;
    case 'LoanIssued':
      return `${batchId}:loan:${e.data.householdId}`;
    case 'BatchCompleted':
      return `${batchId}:completed`;
    default:
      return assertNever(e);
  }
}

/** The pool fund's loan moves (a disbursement's moves are keyed in the disbursement activities). */
export function poolFundMoveKey(fundId: string, e: FundEvent): string {
  switch (e.type) {
    case 'Recovered':
      return `${fundId}:recovery:${e.data.loanId}:${e.data.repaymentId}`;
    case 'RecoveryReversed':
      return `${fundId}:recovery:${e.data.loanId}:${e.data.repaymentId}:reversed`;
    case 'WrittenOff':
      return `${fundId}:write-off:${e.data.loanId}`;
    default:
      throw new Error(`a loan does not ${e.type} a fund`);
  }
}
