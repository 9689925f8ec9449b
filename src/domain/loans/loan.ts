/**
 * One household's loan (stream `loan`): its state. The decider (decideLoan / evolveLoan /
 * loanDecider) is built on this shape; readers (API, projections, workflow) use it as is.
 */
import type { StreamDecider } from '../decider';
import { assertNever } from '../errors';
import type { Location } from '../jurisdiction';
import { STREAM_TYPE } from '../streams';
import type { LoanCommand } from './commands';
import { decideLoan } from './loan-decide';
import type { HardshipCause, LoanEvent, RepaymentMethod } from './events';
import type { Instalment, ScheduledInstalment } from './terms';

export type LoanStatus = 'active' | 'repaid' | 'written_off';

export interface LoanRepayment {
  repaymentId: string;
  amountFen: number;
  method: RepaymentMethod;
  reference: string;
  receivedOn: string;
  recordedBy: string;
  inKind?: { description: string; valuedBy: string; confirmedBy: string };
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
  /** The terms' plan (from LoanOpened), which the payout day turns into `schedule`. */
  instalments?: Instalment[];
  /** Repaid so far, reversals deducted (cash, bank and confirmed in-kind). */
  repaidFen: number;
  /** The confirmed in-kind repayments still standing (part of repaidFen). */
  inKindFen: number;
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
  /** Each reminder with the due day it was for: a deferred instalment is reminded again before its new day. */
  reminders?: { instalment: number; dueDate: string }[];
  /** Issue #13: each escalation of a late instalment (absent until the first). */
  overdueEscalations?: { instalment: number; dueDate: string; level: 'town' | 'county' }[];
  closedOn?: string;
  /** Why the payout failed (LoanCancelled): nothing is owed. */
  cancelReason?: string;
  version: number;
}

export { OverpaymentError, decideLoan } from './loan-decide';

export const initialLoanState = (): LoanState | undefined => undefined;

/** Folds one event into the loan. Money moves only here: repaid, written off, outstanding. */
export function evolveLoan(state: LoanState | undefined, event: LoanEvent): LoanState {
  if (event.type === 'LoanOpened') {
    const { instalments, ...opened } = event.data;
    return {
      ...opened,
      ...(instalments ? { instalments } : {}),
      status: 'active',
      schedule: [],
      repaidFen: 0,
      inKindFen: 0,
      writtenOffFen: 0,
      outstandingFen: opened.principalFen,
      repayments: [],
      pendingValuations: [],
      hardships: [],
      remindersIssued: [],
      version: 1,
    };
  }
  if (!state) throw new Error(`${event.type} before LoanOpened`);
  const s = { ...state, version: state.version + 1 };
  const hardship = (id: string, change: Partial<LoanState['hardships'][number]>) => s.hardships.map((h) => (h.hardshipId === id ? { ...h, ...change } : h));
  const approvalsOf = (id: string) => s.hardships.find((h) => h.hardshipId === id)?.approvals ?? [];
  switch (event.type) {
    case 'LoanDisbursed':
      return { ...s, paidOn: event.data.paidOn, schedule: event.data.schedule };
    case 'LoanCancelled':
      // Never decided (a loan opens once its payout settled); kept so such a stream still folds.
      return { ...s, outstandingFen: 0, cancelReason: event.data.reason };
    case 'RepaymentRecorded': {
      const { repaymentId, amountFen, method, reference, receivedOn, recordedBy, inKind } = event.data;
      return {
        ...s,
        repayments: [...s.repayments, { repaymentId, amountFen, method, reference, receivedOn, recordedBy, ...(inKind ? { inKind } : {}) }],
        repaidFen: s.repaidFen + amountFen,
        inKindFen: s.inKindFen + (method === 'in_kind' ? amountFen : 0),
        outstandingFen: s.outstandingFen - amountFen,
        // An in-kind repayment's reference is its valuation's id.
        pendingValuations: method === 'in_kind' ? s.pendingValuations.filter((v) => v.valuationId !== reference) : s.pendingValuations,
      };
    }
    case 'InKindValued':
      return { ...s, pendingValuations: [...s.pendingValuations, event.data] };
    case 'InKindRejected':
      return { ...s, pendingValuations: s.pendingValuations.filter((v) => v.valuationId !== event.data.valuationId) };
    case 'RepaymentReversed': {
      const { repaymentId, amountFen, reason, reversedBy } = event.data;
      const inKind = s.repayments.find((r) => r.repaymentId === repaymentId)?.method === 'in_kind';
      return {
        ...s,
        repayments: s.repayments.map((r) => (r.repaymentId === repaymentId ? { ...r, reversed: { reason, reversedBy } } : r)),
        repaidFen: s.repaidFen - amountFen,
        inKindFen: s.inKindFen - (inKind ? amountFen : 0),
        outstandingFen: s.outstandingFen + amountFen,
      };
    }
    case 'ReminderIssued':
      return {
        ...s,
        remindersIssued: [...s.remindersIssued, event.data.instalment],
        reminders: [...(s.reminders ?? []), { instalment: event.data.instalment, dueDate: event.data.dueDate }],
      };
    case 'LoanTaskReassigned':
      return s;
    case 'RepaymentEscalated': {
      const { instalment, dueDate, level } = event.data;
      return { ...s, overdueEscalations: [...(s.overdueEscalations ?? []), { instalment, dueDate, level }] };
    }
    case 'HardshipReported': {
      const { hardshipId, cause, proposal, deferMonths, reportedBy } = event.data;
      const h = { hardshipId, cause, proposal, ...(deferMonths !== undefined ? { deferMonths } : {}), status: 'proposed' as const, approvals: [], reportedBy };
      return { ...s, hardships: [...s.hardships, h] };
    }
    case 'DeferralGranted':
      return { ...s, schedule: event.data.schedule, hardships: hardship(event.data.hardshipId, { status: 'granted', approvals: [event.data.approvedBy] }) };
    case 'HardshipRejected':
      return { ...s, hardships: hardship(event.data.hardshipId, { status: 'rejected' }) };
    case 'WriteOffApproved':
      return { ...s, hardships: hardship(event.data.hardshipId, { approvals: [...approvalsOf(event.data.hardshipId), event.data.approvedBy] }) };
    case 'LoanWrittenOff':
      return {
        ...s,
        writtenOffFen: s.writtenOffFen + event.data.amountFen,
        outstandingFen: s.outstandingFen - event.data.amountFen,
        hardships: hardship(event.data.hardshipId, { status: 'granted' }),
      };
    case 'LoanClosed':
      return { ...s, status: event.data.how === 'repaid' ? 'repaid' : 'written_off', closedOn: event.data.closedOn };
    case 'LoanReopened': {
      const { closedOn: _closedOn, ...open } = s;
      void _closedOn;
      return { ...open, status: 'active' };
    }
    default:
      return assertNever(event);
  }
}

export const loanDecider: StreamDecider<LoanState | undefined, LoanCommand, LoanEvent> = {
  streamType: STREAM_TYPE.loan,
  decide: decideLoan,
  evolve: evolveLoan,
  initialState: initialLoanState,
};
