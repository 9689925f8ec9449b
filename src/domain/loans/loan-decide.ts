/**
 * The rules of one household's loan (stream `loan`), for its whole life: the payout, cash,
 * bank and in-kind repayments, reversals, reminders, hardship (a deferral by the town, a
 * write-off by two county officials) and closure. Pure: days and ids come in with the command.
 */
import { DomainError, assertNever } from '../errors';
import { formatYuan } from '../funds/money';
import { contains, levelOf } from '../jurisdiction';
import type { Actor, Role } from '../roles';
import { reassignment } from '../task-reassignment';
import { isDay } from './calendar';
import type { LoanCommand } from './commands';
import { owedBy } from './delinquency';
import { HARDSHIP_CAUSES, type LoanEvent } from './events';
import type { LoanState } from './loan';
import { decideOverdueEscalation } from './overdue-escalation';
import { deferSchedule, isSha256Hex, scheduleFor, unpaidParts, validateTerms } from './schedule';

type Cmd<T extends LoanCommand['type']> = Extract<LoanCommand, { type: T }>;

/** A repayment above what is still owed; `outstandingFen` says how much is. */
export class OverpaymentError extends DomainError {
  constructor(readonly outstandingFen: number) {
    super('invalid', `this repayment is more than is owed: only ${outstandingFen} fen (${formatYuan(outstandingFen)} yuan) is owed`);
    this.name = 'OverpaymentError';
  }
}

export const MAX_DEFER_MONTHS = 24;

/** Who may record a repayment, by method: cash is received in the village; a bank transfer is matched by the fund's staff too. */
const RECORDERS: Record<'cash' | 'bank_transfer', readonly Role[]> = {
  cash: ['village_official', 'cashier'],
  bank_transfer: ['village_official', 'cashier', 'fund_manager'],
};
/** Whoever may record some repayment: who a repayment due waits for. */
export const REPAYMENT_RECORDERS: readonly Role[] = [...new Set(Object.values(RECORDERS).flat())];
/**
 * Who values, confirms or rejects a repayment in kind, and reports a hardship: the household's
 * village and town. A village with a single official (the valuer) has its valuations confirmed
 * by the town, so the confirmation task is the town's too.
 */
export const LOCAL_OFFICIALS: readonly Role[] = ['village_official', 'town_official'];
/** Who may correct a mistaken repayment. */
const REVERSERS: readonly Role[] = ['village_official', 'town_official', 'cashier', 'fund_manager'];

export function decideLoan(command: LoanCommand, state: LoanState | undefined): LoanEvent[] {
  if (command.type === 'OpenLoan') return openLoan(command, state);
  if (!state) throw new DomainError('not_found', 'no such loan');
  switch (command.type) {
    case 'RecordDisbursed':
      return recordDisbursed(command.paidOn, state);
    case 'CancelLoan':
      // A loan is opened only once its payout settled (the batch workflow), so there is never one to cancel.
      throw new DomainError('invalid', 'a loan is opened only after its payout settled; it cannot be cancelled');
    case 'RecordRepayment':
      return recordRepayment(command, state);
    case 'ValueInKind':
      return valueInKind(command, state);
    case 'ConfirmInKind':
      return confirmInKind(command, state);
    case 'RejectInKind':
      return rejectInKind(command, state);
    case 'ReverseRepayment':
      return reverseRepayment(command, state);
    case 'IssueReminder':
      return issueReminder(command, state);
    case 'EscalateOverdue':
      return decideOverdueEscalation(command, state);
    case 'ReassignTask':
      return reassignTask(command, state);
    case 'ReportHardship':
      return reportHardship(command, state);
    case 'DecideHardship':
      return decideHardship(command, state);
    case 'Close':
      return close(command, state);
    default:
      return assertNever(command);
  }
}

function openLoan(c: Cmd<'OpenLoan'>, s: LoanState | undefined): LoanEvent[] {
  if (s) {
    const same = s.loanId === c.loanId && s.disbursementId === c.disbursementId && s.householdId === c.household.householdId;
    if (!same) throw new DomainError('wrong_stage', 'this loan was already opened, with other details');
    return c.paidOn && !s.paidOn ? recordDisbursed(c.paidOn, s) : [];
  }
  validateTerms(c.terms);
  if (levelOf(c.household.location.village) !== 'village') throw new DomainError('invalid', 'a loan is made to a household of a village');
  const opened: LoanEvent = {
    type: 'LoanOpened',
    data: {
      loanId: c.loanId,
      schemeId: c.schemeId,
      batchId: c.batchId,
      fundId: c.fundId,
      householdId: c.household.householdId,
      location: c.household.location,
      principalFen: c.terms.amountFen,
      termsVersion: c.termsVersion,
      agreementHash: c.terms.agreement.hash,
      graceDays: c.terms.graceDays,
      inKindAllowed: c.terms.inKindAllowed,
      disbursementId: c.disbursementId,
      instalments: c.terms.instalments,
    },
  };
  if (!c.paidOn) return [opened];
  return [opened, disbursed(c.paidOn, c.terms.instalments, c.terms.amountFen)];
}

function recordDisbursed(paidOn: string, s: LoanState): LoanEvent[] {
  if (s.paidOn) {
    if (s.paidOn === paidOn) return [];
    throw new DomainError('invalid', `the loan's payout was already recorded as settled on ${s.paidOn}`);
  }
  if (!s.instalments) throw new DomainError('invalid', "this loan's opening does not hold its repayment plan");
  return [disbursed(paidOn, s.instalments, s.principalFen)];
}

function disbursed(paidOn: string, instalments: NonNullable<LoanState['instalments']>, principalFen: number): LoanEvent {
  if (!isDay(paidOn)) throw new DomainError('invalid', 'paidOn must be a day (YYYY-MM-DD)');
  return { type: 'LoanDisbursed', data: { paidOn, schedule: scheduleFor({ instalments }, principalFen, paidOn) } };
}

/** Repayments, in kind, hardship: only on a loan whose payout settled and that is still open. */
function assertOpen(s: LoanState): void {
  if (s.status !== 'active') throw new DomainError('case_closed', `the loan is closed (${s.status.replace('_', ' ')}): nothing is owed`);
  if (!s.paidOn) throw new DomainError('wrong_stage', "the loan's payout has not settled yet");
}

function assertActor(actor: Actor, roles: readonly Role[], s: LoanState, what: string): void {
  if (!roles.includes(actor.role)) throw new DomainError('forbidden', `${what} needs the role ${roles.join(' or ')}`);
  if (!contains(actor.jurisdiction, s.location.village)) throw new DomainError('forbidden', "the loan's household is outside your jurisdiction");
}

function assertAmount(amountFen: number, what: string): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new DomainError('invalid', `${what} is a positive whole number of fen`);
}

function assertText(text: string | undefined, message: string): void {
  if (typeof text !== 'string' || !text.trim()) throw new DomainError('invalid', message);
}

/** The repayment, and the loan's closing when it pays off what was owed. */
function repaid(s: LoanState, recorded: Extract<LoanEvent, { type: 'RepaymentRecorded' }>): LoanEvent[] {
  const { amountFen, receivedOn } = recorded.data;
  if (amountFen > s.outstandingFen) throw new OverpaymentError(s.outstandingFen);
  if (amountFen < s.outstandingFen) return [recorded];
  return [recorded, { type: 'LoanClosed', data: { closedOn: receivedOn, how: 'repaid' } }];
}

function recordRepayment(c: Cmd<'RecordRepayment'>, s: LoanState): LoanEvent[] {
  const before = s.repayments.find((r) => r.repaymentId === c.repaymentId);
  if (before) {
    if (before.amountFen === c.amountFen && before.method === c.method) return [];
    throw new DomainError('invalid', `repayment ${c.repaymentId} was already recorded, as ${before.amountFen} fen by ${before.method.replace('_', ' ')}`);
  }
  assertOpen(s);
  if (c.method !== 'cash' && c.method !== 'bank_transfer')
    throw new DomainError('invalid', 'a repayment is recorded as cash or bank_transfer (in kind is valued and confirmed)');
  assertActor(c.actor, RECORDERS[c.method], s, `recording a ${c.method.replace('_', ' ')} repayment`);
  assertAmount(c.amountFen, 'a repayment');
  assertText(c.reference, c.method === 'cash' ? 'a cash repayment needs the receipt number' : "a bank transfer needs the statement's reference");
  assertReceivedOn(c.receivedOn, s);
  return repaid(s, {
    type: 'RepaymentRecorded',
    data: {
      repaymentId: c.repaymentId,
      amountFen: c.amountFen,
      method: c.method,
      reference: c.reference,
      receivedOn: c.receivedOn,
      recordedBy: c.actor.userId,
    },
  });
}

function assertReceivedOn(day: string, s: LoanState): void {
  if (!isDay(day)) throw new DomainError('invalid', 'receivedOn must be a day (YYYY-MM-DD)');
  if (s.paidOn && day < s.paidOn) throw new DomainError('invalid', `receivedOn ${day} is before the loan was paid out (${s.paidOn})`);
}

const confirmedAs = (s: LoanState, valuationId: string) => s.repayments.find((r) => r.method === 'in_kind' && r.reference === valuationId);

function valueInKind(c: Cmd<'ValueInKind'>, s: LoanState): LoanEvent[] {
  const pending = s.pendingValuations.find((v) => v.valuationId === c.valuationId);
  if (pending) {
    if (pending.amountFen === c.amountFen && pending.valuedBy === c.actor.userId) return [];
    throw new DomainError('invalid', `valuation ${c.valuationId} was already made, at ${pending.amountFen} fen by another official or amount`);
  }
  if (confirmedAs(s, c.valuationId)) return [];
  assertOpen(s);
  if (!s.inKindAllowed) throw new DomainError('invalid', "this loan's terms do not allow repayment in kind");
  assertActor(c.actor, LOCAL_OFFICIALS, s, 'valuing a repayment in kind');
  assertAmount(c.amountFen, 'a valuation');
  assertText(c.description, 'a repayment in kind needs a description of what was handed over');
  assertReceivedOn(c.receivedOn, s);
  if (c.amountFen > s.outstandingFen) throw new OverpaymentError(s.outstandingFen);
  const { valuationId, amountFen, description, receivedOn } = c;
  return [{ type: 'InKindValued', data: { valuationId, amountFen, description, valuedBy: c.actor.userId, receivedOn } }];
}

/** The second official's confirmation makes a valuation a repayment; the valuer cannot confirm their own. */
function confirmInKind(c: Cmd<'ConfirmInKind'>, s: LoanState): LoanEvent[] {
  const before = s.repayments.find((r) => r.repaymentId === c.repaymentId);
  if (before) {
    if (before.method === 'in_kind' && before.reference === c.valuationId) return [];
    throw new DomainError('invalid', `repayment ${c.repaymentId} was already recorded for something else`);
  }
  if (confirmedAs(s, c.valuationId)) throw new DomainError('invalid', `valuation ${c.valuationId} was already confirmed as another repayment`);
  assertOpen(s);
  const v = s.pendingValuations.find((p) => p.valuationId === c.valuationId);
  if (!v) throw new DomainError('not_found', `no valuation ${c.valuationId} awaits confirmation`);
  assertActor(c.actor, LOCAL_OFFICIALS, s, 'confirming a repayment in kind');
  if (c.actor.userId === v.valuedBy) throw new DomainError('forbidden', 'a second official must confirm a valuation: the valuer may not confirm their own');
  return repaid(s, {
    type: 'RepaymentRecorded',
    data: {
      repaymentId: c.repaymentId,
      amountFen: v.amountFen,
      method: 'in_kind',
      reference: v.valuationId,
      receivedOn: v.receivedOn,
      recordedBy: c.actor.userId,
      inKind: { description: v.description, valuedBy: v.valuedBy, confirmedBy: c.actor.userId },
    },
  });
}

function rejectInKind(c: Cmd<'RejectInKind'>, s: LoanState): LoanEvent[] {
  assertOpen(s);
  const v = s.pendingValuations.find((p) => p.valuationId === c.valuationId);
  if (!v) throw new DomainError('not_found', `no valuation ${c.valuationId} awaits confirmation`);
  assertActor(c.actor, LOCAL_OFFICIALS, s, 'rejecting a repayment in kind');
  assertText(c.reason, 'a rejection needs a reason');
  return [{ type: 'InKindRejected', data: { valuationId: c.valuationId, rejectedBy: c.actor.userId, reason: c.reason } }];
}

/** A correcting entry, never an edit; a reversal on a repaid loan opens it again. */
function reverseRepayment(c: Cmd<'ReverseRepayment'>, s: LoanState): LoanEvent[] {
  const r = s.repayments.find((p) => p.repaymentId === c.repaymentId);
  if (!r) throw new DomainError('not_found', `no repayment ${c.repaymentId} on this loan`);
  if (r.reversed) throw new DomainError('invalid', `repayment ${c.repaymentId} was already reversed`);
  if (s.status === 'written_off') throw new DomainError('case_closed', 'the loan was written off: its repayments can no longer be changed');
  assertActor(c.actor, REVERSERS, s, 'reversing a repayment');
  if (c.secondOfficial && c.actor.userId === r.recordedBy) {
    throw new DomainError(
      'forbidden',
      '还款须由另一名工作人员冲正，登记人不能冲正自己登记的还款 (a second official must reverse a repayment: whoever recorded it may not)',
    );
  }
  assertText(c.reason, 'a reversal needs a reason');
  const reversed: LoanEvent = {
    type: 'RepaymentReversed',
    data: { repaymentId: r.repaymentId, amountFen: r.amountFen, reason: c.reason, reversedBy: c.actor.userId },
  };
  return s.status === 'repaid' ? [reversed, { type: 'LoanReopened', data: { reason: c.reason } }] : [reversed];
}

/**
 * Once per instalment and due day (a deferred instalment is reminded again before its new day),
 * and only while some of it is unpaid (a reminder for a paid one decides
 * nothing, so a timer that fires after the money came is harmless). It states what is owed by
 * the due day: this instalment's rest and any earlier one's.
 */
function issueReminder(c: Cmd<'IssueReminder'>, s: LoanState): LoanEvent[] {
  if (!s.paidOn) throw new DomainError('wrong_stage', "the loan's payout has not settled yet");
  if (!isDay(c.today)) throw new DomainError('invalid', 'today must be a day (YYYY-MM-DD)');
  const inst = unpaidParts(s.schedule, s.repaidFen + s.writtenOffFen).find((i) => i.n === c.instalment);
  if (!inst) throw new DomainError('not_found', `the loan has no instalment ${c.instalment}`);
  const reminded = s.reminders ? s.reminders.some((r) => r.instalment === inst.n && r.dueDate === inst.dueDate) : s.remindersIssued.includes(inst.n);
  if (reminded || inst.unpaidFen === 0 || s.status !== 'active') return [];
  return [{ type: 'ReminderIssued', data: { instalment: inst.n, dueDate: inst.dueDate, outstandingFen: owedBy(s, inst.dueDate) } }];
}

/** A supervisor of the household's place gives an open task of a running loan to someone else. */
function reassignTask(c: Cmd<'ReassignTask'>, s: LoanState): LoanEvent[] {
  const data = reassignment(c, () => {
    assertOpen(s);
    assertActor(c.actor, ['supervisor'], s, 'reassigning a task');
    assertText(c.reason, 'a reassignment needs a reason');
  });
  return [{ type: 'LoanTaskReassigned', data }];
}

function reportHardship(c: Cmd<'ReportHardship'>, s: LoanState): LoanEvent[] {
  const before = s.hardships.find((h) => h.hardshipId === c.hardshipId);
  if (before) {
    if (before.proposal === c.proposal && before.deferMonths === c.deferMonths && before.cause === c.cause) return [];
    throw new DomainError('invalid', `hardship ${c.hardshipId} was already reported with another proposal`);
  }
  assertOpen(s);
  const open = s.hardships.find((h) => h.status === 'proposed');
  if (open) throw new DomainError('invalid', `hardship ${open.hardshipId} still awaits a decision: one at a time`);
  assertActor(c.actor, LOCAL_OFFICIALS, s, 'reporting a hardship');
  if (!HARDSHIP_CAUSES.includes(c.cause)) throw new DomainError('invalid', `cause must be one of ${HARDSHIP_CAUSES.join(', ')}`);
  if (c.evidenceHash !== undefined && !isSha256Hex(c.evidenceHash))
    throw new DomainError('invalid', 'evidenceHash must be a sha256: 64 lowercase hex characters');
  assertText(c.note, 'a hardship report needs a note of what happened');
  if (c.proposal === 'deferral') {
    if (!Number.isSafeInteger(c.deferMonths) || (c.deferMonths as number) < 1 || (c.deferMonths as number) > MAX_DEFER_MONTHS)
      throw new DomainError('invalid', `deferMonths must be a whole number of months from 1 to ${MAX_DEFER_MONTHS}`);
  } else if (c.proposal === 'write_off') {
    if (c.deferMonths !== undefined) throw new DomainError('invalid', 'a write-off defers nothing: leave deferMonths out');
  } else {
    throw new DomainError('invalid', "proposal must be 'deferral' or 'write_off'");
  }
  const { hardshipId, cause, evidenceHash, proposal, deferMonths, note } = c;
  return [
    {
      type: 'HardshipReported',
      data: {
        hardshipId,
        cause,
        ...(evidenceHash ? { evidenceHash } : {}),
        proposal,
        ...(deferMonths !== undefined ? { deferMonths } : {}),
        reportedBy: c.actor.userId,
        note,
      },
    },
  ];
}

/**
 * A deferral is the town's decision; a write-off needs two different county officials. The
 * reporter never decides their own report; nobody decides twice; any eligible rejection ends it.
 */
function decideHardship(c: Cmd<'DecideHardship'>, s: LoanState): LoanEvent[] {
  const h = s.hardships.find((x) => x.hardshipId === c.hardshipId);
  if (!h) throw new DomainError('not_found', `no hardship ${c.hardshipId} on this loan`);
  if (h.approvals.includes(c.actor.userId)) throw new DomainError('forbidden', 'you have already decided this hardship; another official must decide');
  if (h.status !== 'proposed') throw new DomainError('wrong_stage', `hardship ${c.hardshipId} was already ${h.status}`);
  assertOpen(s);
  const deferral = h.proposal === 'deferral';
  assertActor(c.actor, [deferral ? 'town_official' : 'county_official'], s, deferral ? 'deciding a deferral' : 'deciding a write-off');
  if (c.actor.userId === h.reportedBy) throw new DomainError('forbidden', 'the official who reported a hardship may not decide it');
  const by = c.actor.userId;
  if (!c.approve) {
    assertText(c.reason, 'a rejection needs a reason');
    return [{ type: 'HardshipRejected', data: { hardshipId: h.hardshipId, rejectedBy: by, reason: c.reason } }];
  }
  if (deferral) {
    const schedule = deferSchedule(s.schedule, s.repaidFen + s.writtenOffFen, h.deferMonths as number);
    return [{ type: 'DeferralGranted', data: { hardshipId: h.hardshipId, approvedBy: by, schedule } }];
  }
  const approved: LoanEvent = { type: 'WriteOffApproved', data: { hardshipId: h.hardshipId, approvedBy: by } };
  if (h.approvals.length === 0) return [approved];
  if (c.today !== undefined && !isDay(c.today)) throw new DomainError('invalid', 'today must be a day (YYYY-MM-DD)');
  return [
    approved,
    { type: 'LoanWrittenOff', data: { hardshipId: h.hardshipId, amountFen: s.outstandingFen, approvers: [h.approvals[0], by] } },
    { type: 'LoanClosed', data: { closedOn: c.today ?? lastKnownDay(s), how: 'written_off' } },
  ];
}

/** The latest day the loan's own events know (its payout, its repayments), for a caller that gives no day. */
function lastKnownDay(s: LoanState): string {
  return s.repayments.reduce((last, r) => (r.receivedOn > last ? r.receivedOn : last), s.paidOn ?? '');
}

/** Closes a loan nothing is owed on (closing normally comes with the repayment that pays it off). */
function close(c: Cmd<'Close'>, s: LoanState): LoanEvent[] {
  if (s.status !== 'active') return [];
  if (!isDay(c.today)) throw new DomainError('invalid', 'today must be a day (YYYY-MM-DD)');
  if (s.outstandingFen > 0) throw new DomainError('invalid', `the loan still owes ${s.outstandingFen} fen`);
  return [{ type: 'LoanClosed', data: { closedOn: c.today, how: s.writtenOffFen > 0 ? 'written_off' : 'repaid' } }];
}
