/**
 * One household's loan (stream `loan`): its state. The decider (decideLoan / evolveLoan /
 * loanDecider) is built on this shape; readers (API, projections, workflow) use it as is.
 */
import type { StreamDecider } from '../decider';
import { DomainError } from '../errors';
import type { Location } from '../jurisdiction';
import { STREAM_TYPE } from '../streams';
import type { LoanCommand } from './commands';
import type { HardshipCause, LoanEvent, RepaymentMethod } from './events';
import type { ScheduledInstalment } from './terms';

export type LoanStatus = 'active' | 'repaid' | 'written_off';

export interface LoanRepayment {
  repaymentId: string;
  amountFen: number;
  method: RepaymentMethod;
  reference: string;
  receivedOn: string;
  recordedBy: string;
  reversed?: { reason: string; reversedBy: string };
}

export interface LoanState {
  loanId: string;
  schemeId: string;
  batchId: string;
  fundId: string;
  householdId: string;
  location: Location;
  principalFen: number;
  termsVersion: number;
  agreementHash: string;
  graceDays: number;
  inKindAllowed: boolean;
  disbursementId: string;
  status: LoanStatus;
  paidOn?: string;
  schedule: ScheduledInstalment[];
  /** Repaid so far, reversals deducted (cash, bank and confirmed in-kind). */
  repaidFen: number;
  writtenOffFen: number;
  /** principal − repaid − written off. */
  outstandingFen: number;
  repayments: LoanRepayment[];
  pendingValuations: { valuationId: string; amountFen: number; description: string; valuedBy: string; receivedOn: string }[];
  hardships: {
    hardshipId: string;
    cause: HardshipCause;
    proposal: 'deferral' | 'write_off';
    deferMonths?: number;
    status: 'proposed' | 'granted' | 'rejected';
    approvals: string[];
    reportedBy: string;
  }[];
  remindersIssued: number[];
  closedOn?: string;
  version: number;
}

/** A repayment above what is still owed; `outstandingFen` says how much is. */
export class OverpaymentError extends DomainError {
  constructor(readonly outstandingFen: number) {
    super('invalid', `this repayment is more than is owed: only ${outstandingFen} fen is owed`);
    this.name = 'OverpaymentError';
  }
}

export const initialLoanState = (): LoanState | undefined => undefined;

export function evolveLoan(state: LoanState | undefined, event: LoanEvent): LoanState {
  void [state, event];
  throw new Error('TODO');
}

export function decideLoan(command: LoanCommand, state: LoanState | undefined): LoanEvent[] {
  void [command, state];
  throw new Error('TODO');
}

export const loanDecider: StreamDecider<LoanState | undefined, LoanCommand, LoanEvent> = {
  streamType: STREAM_TYPE.loan,
  decide: decideLoan,
  evolve: evolveLoan,
  initialState: initialLoanState,
};
