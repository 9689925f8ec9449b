/**
 * Issue #13 for payouts: an approval step past its time limit is first reminded (its approvers
 * are told), then, `escalateAfter` later, a town step goes up to the county as a follow-up task
 * there. A county step has no level above it: it is reminded only. The limits are the payee's
 * jurisdiction settings when the payout was requested (`approvalPolicy`); a payout requested
 * before them has none and is never escalated. The workflow's durable timer asks for each step
 * at its time; when and whether a step is due is decided here.
 */
import { durationMs } from '../time';
import type { ApprovalLevel } from './approval-policy';

export interface ApprovalPolicy {
  /** How long one approval step may wait (the jurisdiction's stage time limit). */
  timeLimit: string;
  /** After the limit: a reminder; after this much more, one level up. */
  escalateAfter: string;
}

/** How far the current approval step was reminded and escalated; reset by the next approval. */
export interface ApprovalEscalationState {
  /** Which approval the state is about (the count of approvals before it). */
  round: number;
  reminded: boolean;
  escalatedTo?: 'county';
}

export type ApprovalEscalationEvent =
  | { type: 'ApprovalReminderSent'; data: { level: ApprovalLevel; round: number; dueAt: string } }
  | { type: 'ApprovalEscalated'; data: { level: ApprovalLevel; round: number; to: 'county'; jurisdiction: string } };

/** From the workflow's timer: `since` is when the step it is about opened (workflow time). */
export type ApprovalEscalationCommand = { type: 'RemindApproval' | 'EscalateApproval'; round: number; since: string; at: string };

/** What the rules read of a disbursement (kept narrow so the disbursement module can import this one). */
interface Awaiting {
  status: string;
  requiredApprovals: ApprovalLevel[];
  approvals: unknown[];
  approvalPolicy?: ApprovalPolicy;
  approvalEscalation?: ApprovalEscalationState;
  payee: { location: { county: string } };
}

/** The level a step of this level escalates to, if any. */
const above = (level: ApprovalLevel): 'county' | undefined => (level === 'town' ? 'county' : undefined);

/** The next reminder or escalation of the approval step open since `since`, and when it falls due. */
export function nextApprovalEscalation(s: Awaiting, since: string): { type: ApprovalEscalationCommand['type']; round: number; at: string } | undefined {
  const round = s.approvals.length;
  const level = s.status === 'awaiting_approval' ? s.requiredApprovals[round] : undefined;
  if (!level || !s.approvalPolicy) return undefined;
  const dueAt = Date.parse(since) + durationMs(s.approvalPolicy.timeLimit);
  const e = s.approvalEscalation?.round === round ? s.approvalEscalation : undefined;
  if (!e?.reminded) return { type: 'RemindApproval', round, at: new Date(dueAt).toISOString() };
  if (e.escalatedTo || !above(level)) return undefined;
  return { type: 'EscalateApproval', round, at: new Date(dueAt + durationMs(s.approvalPolicy.escalateAfter)).toISOString() };
}

/**
 * The events of a timer's step, or none when it is not (or no longer) due: an approval landed
 * as the timer fired, or it was taken already. Never an error for a timer that lost a race.
 */
export function decideApprovalEscalation(c: ApprovalEscalationCommand, s: Awaiting): ApprovalEscalationEvent[] {
  const next = nextApprovalEscalation(s, c.since);
  if (!next || next.type !== c.type || next.round !== c.round || Date.parse(c.at) < Date.parse(next.at)) return [];
  const level = s.requiredApprovals[c.round];
  if (c.type === 'RemindApproval') return [{ type: 'ApprovalReminderSent', data: { level, round: c.round, dueAt: next.at } }];
  return [{ type: 'ApprovalEscalated', data: { level, round: c.round, to: 'county', jurisdiction: s.payee.location.county } }];
}

export function evolveApprovalEscalation(e: ApprovalEscalationEvent): ApprovalEscalationState {
  return e.type === 'ApprovalReminderSent' ? { round: e.data.round, reminded: true } : { round: e.data.round, reminded: true, escalatedTo: e.data.to };
}
