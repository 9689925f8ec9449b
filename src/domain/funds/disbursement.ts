import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { contains, type Location } from '../jurisdiction';
import type { Actor } from '../roles';
import { STREAM_TYPE } from '../streams';
import { reassignment, type ReassignTaskCommand, type Reassignment } from '../task-reassignment';
import {
  decideApprovalEscalation,
  evolveApprovalEscalation,
  type ApprovalEscalationCommand,
  type ApprovalEscalationEvent,
  type ApprovalEscalationState,
  type ApprovalPolicy,
} from './approval-escalation';
import { APPROVER_ROLE, type ApprovalLevel } from './approval-policy';

export const PURPOSES = ['one_time_relief', 'project_assistance', 'industry_support', 'loan_principal', 'medical_top_up', 'education'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * Closed operation: money leaves a fund only to an enrolled household's registered account, or
 * an approved supplier against a receipt. `account` is sealed (`enc:v1:…`, opened only for the
 * bank) with `accountMasked` beside it; disbursements requested before sealing hold it plain.
 */
export type Payee =
  | { type: 'household'; householdId: string; location: Location; account: string; accountMasked?: string }
  | {
      type: 'supplier';
      supplierId: string;
      location: Location;
      account: string;
      accountMasked?: string;
      receipt: { number: string; amountFen: number; issuedAt: string };
    };

export type DisbursementStatus = 'awaiting_approval' | 'approved' | 'reserved' | 'sent' | 'paid' | 'failed' | 'rejected' | 'refused';

export type DisbursementEvent =
  | {
      type: 'DisbursementRequested';
      data: {
        disbursementId: string;
        fundId: string;
        fundAccount: string;
        payee: Payee;
        purpose: Purpose;
        amountFen: number;
        requiredApprovals: ApprovalLevel[];
        requestedBy: string;
        /** Issue #13: the time limits of each approval step (absent in payouts requested before). */
        approvalPolicy?: ApprovalPolicy;
      };
    }
  | { type: 'DisbursementApproved'; data: { level: ApprovalLevel; approvedBy: string; reason?: string } }
  | { type: 'DisbursementRejected'; data: { rejectedBy: string; reason: string } }
  | { type: 'FundsReserved'; data: { amountFen: number } }
  | { type: 'DisbursementRefused'; data: { reason: string } }
  | { type: 'PaymentSent'; data: { paymentId?: string } }
  | { type: 'PaymentConfirmed'; data: { paymentId: string; settledAt: string } }
  | { type: 'PaymentFailed'; data: { reason: string } }
  | { type: 'ReservationReleased'; data: { amountFen: number } }
  | ApprovalEscalationEvent
  /** A supervisor gave the open approval task to another approver (issue #13). */
  | { type: 'ApprovalTaskReassigned'; data: Reassignment };

export interface DisbursementState {
  disbursementId: string;
  fundId: string;
  fundAccount: string;
  payee: Payee;
  purpose: Purpose;
  amountFen: number;
  requiredApprovals: ApprovalLevel[];
  approvals: { level: ApprovalLevel; by: string }[];
  requestedBy: string;
  status: DisbursementStatus;
  reason?: string;
  paymentId?: string;
  approvalPolicy?: ApprovalPolicy;
  approvalEscalation?: ApprovalEscalationState;
  version: number;
}

export type DisbursementDecision = { type: 'Approve'; actor: Actor; reason?: string } | { type: 'Reject'; actor: Actor; reason: string };

type Requested = Extract<DisbursementEvent, { type: 'DisbursementRequested' }>['data'];

/**
 * Everything that happens to a disbursement: the request, the approvers' decisions, and the
 * steps its workflow takes with the fund and the bank (reported here once they happened).
 */
export type DisbursementCommand =
  | { type: 'Request'; request: Requested }
  | DisbursementDecision
  | { type: 'RecordReservation'; amountFen: number }
  | { type: 'Refuse'; reason: string }
  | { type: 'RecordPaymentSent'; paymentId?: string }
  | { type: 'ConfirmPayment'; paymentId: string; settledAt: string }
  | { type: 'FailPayment'; reason: string; releasedFen: number }
  | ApprovalEscalationCommand
  | ReassignTaskCommand;

export function evolveDisbursement(s: DisbursementState | undefined, e: DisbursementEvent): DisbursementState {
  if (e.type === 'DisbursementRequested') return { ...e.data, approvals: [], status: 'awaiting_approval', version: 1 };
  if (!s) throw new Error(`${e.type} before DisbursementRequested`);
  const n = { ...s, version: s.version + 1 };
  switch (e.type) {
    case 'DisbursementApproved': {
      const approvals = [...s.approvals, { level: e.data.level, by: e.data.approvedBy }];
      return { ...n, approvals, status: approvals.length === s.requiredApprovals.length ? 'approved' : 'awaiting_approval' };
    }
    case 'DisbursementRejected':
      return { ...n, status: 'rejected', reason: e.data.reason };
    case 'FundsReserved':
      return { ...n, status: 'reserved' };
    case 'DisbursementRefused':
      return { ...n, status: 'refused', reason: e.data.reason };
    case 'PaymentSent':
      return { ...n, status: 'sent', paymentId: e.data.paymentId ?? s.paymentId };
    case 'PaymentConfirmed':
      return { ...n, status: 'paid', paymentId: e.data.paymentId };
    case 'PaymentFailed':
      return { ...n, status: 'failed', reason: e.data.reason };
    case 'ReservationReleased':
    case 'ApprovalTaskReassigned':
      return n;
    case 'ApprovalReminderSent':
    case 'ApprovalEscalated':
      return { ...n, approvalEscalation: evolveApprovalEscalation(e) };
    default:
      return assertNever(e);
  }
}

/** The approval step that is due, if any. */
export function nextApproval(s: DisbursementState): ApprovalLevel | undefined {
  return s.status === 'awaiting_approval' ? s.requiredApprovals[s.approvals.length] : undefined;
}

/** Decides any command on a disbursement; a step out of turn is refused (`wrong_stage`). */
export function decideDisbursementCommand(c: DisbursementCommand, s: DisbursementState | undefined): DisbursementEvent[] {
  if (c.type === 'Request') {
    if (s) throw new DomainError('wrong_stage', 'this disbursement was already requested');
    return [{ type: 'DisbursementRequested', data: c.request }];
  }
  if (!s) throw new DomainError('not_found', 'no such disbursement');
  const expect = (status: DisbursementStatus) => {
    if (s.status !== status) throw new DomainError('wrong_stage', `the disbursement is ${s.status}, not ${status}`);
  };
  switch (c.type) {
    case 'Approve':
    case 'Reject':
      return decideDisbursement(c, s);
    case 'RecordReservation':
      expect('approved');
      return [{ type: 'FundsReserved', data: { amountFen: c.amountFen } }];
    case 'Refuse':
      expect('approved');
      return [{ type: 'DisbursementRefused', data: { reason: c.reason } }];
    case 'RecordPaymentSent':
      expect('reserved');
      return [{ type: 'PaymentSent', data: { paymentId: c.paymentId } }];
    case 'ConfirmPayment':
      expect('sent');
      return [{ type: 'PaymentConfirmed', data: { paymentId: c.paymentId, settledAt: c.settledAt } }];
    case 'FailPayment':
      expect('sent');
      return [
        { type: 'PaymentFailed', data: { reason: c.reason } },
        { type: 'ReservationReleased', data: { amountFen: c.releasedFen } },
      ];
    case 'RemindApproval':
    case 'EscalateApproval':
      return decideApprovalEscalation(c, s);
    case 'ReassignTask':
      return [{ type: 'ApprovalTaskReassigned', data: reassignment(c, () => expect('awaiting_approval')) }];
    default:
      return assertNever(c);
  }
}

/** An approver's decision: the requester never approves, nobody approves twice, role and place must fit. */
export function decideDisbursement(c: DisbursementDecision, s: DisbursementState): DisbursementEvent[] {
  const level = nextApproval(s);
  if (!level) throw new DomainError('wrong_stage', `the disbursement is ${s.status}, not awaiting approval`);
  if (c.actor.userId === s.requestedBy) throw new DomainError('forbidden', 'the requester of a disbursement may not approve or reject it');
  if (c.actor.role !== APPROVER_ROLE[level]) throw new DomainError('forbidden', `the next approval is the ${level}'s (${APPROVER_ROLE[level]})`);
  if (!contains(c.actor.jurisdiction, s.payee.location.village)) throw new DomainError('forbidden', 'the payee is outside your jurisdiction');
  if (s.approvals.some((a) => a.by === c.actor.userId))
    throw new DomainError('forbidden', 'you have already approved this disbursement; another approver is needed');
  switch (c.type) {
    case 'Approve':
      return [{ type: 'DisbursementApproved', data: { level, approvedBy: c.actor.userId, reason: c.reason } }];
    case 'Reject':
      if (!c.reason.trim()) throw new DomainError('invalid', 'a rejection needs a reason');
      return [{ type: 'DisbursementRejected', data: { rejectedBy: c.actor.userId, reason: c.reason } }];
    default:
      return assertNever(c);
  }
}

/** The disbursement stream's rules; its workflow is the stream's only writer. */
export const disbursementDecider: StreamDecider<DisbursementState | undefined, DisbursementCommand, DisbursementEvent> = {
  streamType: STREAM_TYPE.disbursement,
  decide: decideDisbursementCommand,
  evolve: evolveDisbursement,
  initialState: () => undefined,
};
