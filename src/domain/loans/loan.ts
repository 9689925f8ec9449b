/**
 * One household's loan (stream `loan`): its state. The decider (decideLoan / evolveLoan /
 * loanDecider) is built on this shape; readers (API, projections, workflow) use it as is.
 */
import type { Location } from '../jurisdiction';
import type { HardshipCause, RepaymentMethod } from './events';
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
