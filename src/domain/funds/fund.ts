/**
 * A special fund's rules ("three specialized and closed"): money comes in by deposits, and
 * leaves only by a reservation for an approved disbursement, later paid out or released.
 * A reservation cannot exceed what is available. The database's CHECK on the balances stays
 * as a backstop; the rule lives here, decided on the fund's own events.
 */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { STREAM_TYPE } from '../streams';
import type { FundEvent, FundSource, RecoveryMethod } from './fund-events';

export type FundCommand =
  | { type: 'Open'; fundId: string; name: string; jurisdiction: string; account: string }
  | { type: 'Deposit'; amountFen: number; source: FundSource; reference: string }
  | { type: 'Reserve'; disbursementId: string; amountFen: number }
  | { type: 'Pay'; disbursementId: string; amountFen: number; purpose: string; paymentId: string }
  | { type: 'Release'; disbursementId: string; amountFen: number }
  /** A loan repayment into the pool; idempotent by repaymentId. */
  | { type: 'Recover'; loanId: string; repaymentId: string; amountFen: number; method: RecoveryMethod }
  /** Takes back a recovery (a reversed repayment); idempotent by repaymentId. */
  | { type: 'ReverseRecovery'; repaymentId: string }
  /** A loan's unpaid rest written off; idempotent by loanId. */
  | { type: 'WriteOff'; loanId: string; amountFen: number };

export type ReservationStatus = 'reserved' | 'paid' | 'released';

export interface FundState {
  opened?: { fundId: string; name: string; jurisdiction: string; account: string };
  depositedFen: number;
  availableFen: number;
  reservedFen: number;
  paidFen: number;
  /** Every disbursement's reservation and what became of it, so a retried move is recognised. */
  reservations: ReadonlyMap<string, { amountFen: number; status: ReservationStatus }>;
  /** Paid out as loan principal (purpose `loan_principal`): the pool's loans made. */
  lentFen: number;
  /** Repayments that came back as cash or bank transfers (reversals deducted): cash again. */
  recoveredCashFen: number;
  /** Repayments in kind (reversals deducted): valued, but not cash. */
  inKindFen: number;
  writtenOffFen: number;
  /** Every recovery by repaymentId, so a retried one is recognised and a reversal knows what to undo. */
  recoveries: ReadonlyMap<string, { loanId: string; amountFen: number; method: RecoveryMethod; reversed: boolean }>;
  /** Loans written off, with the amount. */
  writeOffs: ReadonlyMap<string, number>;
}

/** A reservation larger than what the fund has available. */
export class InsufficientFundsError extends DomainError {
  constructor(readonly fundId: string) {
    super('invalid', `fund ${fundId} has too little available for this`);
    this.name = 'InsufficientFundsError';
  }
}

export const initialFundState = (): FundState => ({
  depositedFen: 0,
  availableFen: 0,
  reservedFen: 0,
  paidFen: 0,
  reservations: new Map(),
  lentFen: 0,
  recoveredCashFen: 0,
  inKindFen: 0,
  writtenOffFen: 0,
  recoveries: new Map(),
  writeOffs: new Map(),
});

/** Cash and bank transfers are cash in the pool again; in kind is not. */
export const isCashRecovery = (method: RecoveryMethod) => method !== 'in_kind';

/** What the pool's loans still owe it: lent, less what came back (cash or kind) and what was written off. */
export const receivableFen = (s: FundState) => s.lentFen - s.recoveredCashFen - s.inKindFen - s.writtenOffFen;

export function evolveFund(s: FundState, e: FundEvent): FundState {
  const mark = (id: string, amountFen: number, status: ReservationStatus) => new Map(s.reservations).set(id, { amountFen, status });
  switch (e.type) {
    case 'FundOpened': {
      const { fundId, name, jurisdiction, account } = e.data;
      return { ...s, opened: { fundId, name, jurisdiction, account } };
    }
    case 'Deposited':
      return { ...s, depositedFen: s.depositedFen + e.data.amountFen, availableFen: s.availableFen + e.data.amountFen };
    case 'Reserved':
      return {
        ...s,
        availableFen: s.availableFen - e.data.amountFen,
        reservedFen: s.reservedFen + e.data.amountFen,
        reservations: mark(e.data.disbursementId, e.data.amountFen, 'reserved'),
      };
    case 'Paid':
      return {
        ...s,
        reservedFen: s.reservedFen - e.data.amountFen,
        paidFen: s.paidFen + e.data.amountFen,
        lentFen: s.lentFen + (e.data.purpose === 'loan_principal' ? e.data.amountFen : 0),
        reservations: mark(e.data.disbursementId, e.data.amountFen, 'paid'),
      };
    case 'Released':
      return {
        ...s,
        availableFen: s.availableFen + e.data.amountFen,
        reservedFen: s.reservedFen - e.data.amountFen,
        reservations: mark(e.data.disbursementId, e.data.amountFen, 'released'),
      };
    case 'Recovered':
    case 'RecoveryReversed': {
      const { loanId, repaymentId, amountFen, method } = e.data;
      const sign = e.type === 'Recovered' ? 1 : -1;
      const cash = isCashRecovery(method);
      return {
        ...s,
        availableFen: s.availableFen + (cash ? sign * amountFen : 0),
        recoveredCashFen: s.recoveredCashFen + (cash ? sign * amountFen : 0),
        inKindFen: s.inKindFen + (cash ? 0 : sign * amountFen),
        recoveries: new Map(s.recoveries).set(repaymentId, { loanId, amountFen, method, reversed: sign < 0 }),
      };
    }
    case 'WrittenOff':
      return { ...s, writtenOffFen: s.writtenOffFen + e.data.amountFen, writeOffs: new Map(s.writeOffs).set(e.data.loanId, e.data.amountFen) };
    default:
      return assertNever(e);
  }
}

/**
 * A command for a move already made (a retried activity) decides nothing, so the retry
 * succeeds with the first result; a move that contradicts the fund's books is refused.
 */
export function decideFund(c: FundCommand, s: FundState): FundEvent[] {
  if (c.type === 'Open') return open(c, s);
  if (!s.opened) throw new DomainError('not_found', 'no such fund');
  const fundId = s.opened.fundId;
  switch (c.type) {
    case 'Deposit':
      if (!Number.isSafeInteger(c.amountFen) || c.amountFen <= 0) throw new DomainError('invalid', 'a deposit is a positive whole number of fen');
      return [{ type: 'Deposited', data: { amountFen: c.amountFen, source: c.source, reference: c.reference } }];
    case 'Reserve': {
      if (s.reservations.has(c.disbursementId)) return [];
      if (!Number.isSafeInteger(c.amountFen) || c.amountFen <= 0) throw new DomainError('invalid', 'a reservation is a positive whole number of fen');
      if (c.amountFen > s.availableFen) throw new InsufficientFundsError(fundId);
      return [{ type: 'Reserved', data: { disbursementId: c.disbursementId, amountFen: c.amountFen } }];
    }
    case 'Pay':
      if (!settles(s, c, 'paid')) return [];
      return [{ type: 'Paid', data: { disbursementId: c.disbursementId, amountFen: c.amountFen, purpose: c.purpose, paymentId: c.paymentId } }];
    case 'Release':
      if (!settles(s, c, 'released')) return [];
      return [{ type: 'Released', data: { disbursementId: c.disbursementId, amountFen: c.amountFen } }];
    case 'Recover':
      return recover(c, s);
    case 'ReverseRecovery':
      return reverseRecovery(c, s, fundId);
    case 'WriteOff':
      return writeOff(c, s);
    default:
      return assertNever(c);
  }
}

function open(c: Extract<FundCommand, { type: 'Open' }>, s: FundState): FundEvent[] {
  const { fundId, name, jurisdiction, account } = c;
  if (s.opened) {
    const same = s.opened.fundId === fundId && s.opened.name === name && s.opened.jurisdiction === jurisdiction && s.opened.account === account;
    if (same) return []; // the same opening, retried
    throw new DomainError('invalid', 'that fund is already open, with other details');
  }
  return [{ type: 'FundOpened', data: { fundId, name, jurisdiction, account, currency: 'CNY' } }];
}

/**
 * Whether a payout or release of a reservation is still to be booked: true while the
 * reservation is open; false when this very move was already booked; refused otherwise.
 */
function settles(s: FundState, c: { disbursementId: string; amountFen: number }, to: 'paid' | 'released'): boolean {
  const r = s.reservations.get(c.disbursementId);
  if (!r) throw new DomainError('invalid', `disbursement ${c.disbursementId} has no reservation on this fund`);
  if (r.status === to) return false;
  if (r.status !== 'reserved') throw new DomainError('invalid', `the reservation of disbursement ${c.disbursementId} was already ${r.status}`);
  if (r.amountFen !== c.amountFen) throw new DomainError('invalid', `disbursement ${c.disbursementId} reserved ${r.amountFen} fen, not ${c.amountFen}`);
  return true;
}

/**
 * A recovery can never exceed what the pool's loans still owe it: the receivable stays ≥ 0, so
 * `cash + receivable + in kind + written off + other payouts = contributions` holds in the books.
 */
function recover(c: Extract<FundCommand, { type: 'Recover' }>, s: FundState): FundEvent[] {
  const { loanId, repaymentId, amountFen, method } = c;
  const before = s.recoveries.get(repaymentId);
  if (before) {
    if (before.amountFen === amountFen && before.method === method && before.loanId === loanId) return [];
    throw new DomainError('invalid', `repayment ${repaymentId} was already recovered with other details`);
  }
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new DomainError('invalid', 'a recovery is a positive whole number of fen');
  if (amountFen > receivableFen(s)) throw new DomainError('invalid', `the pool's loans owe it only ${receivableFen(s)} fen, less than ${amountFen} fen`);
  return [{ type: 'Recovered', data: { loanId, repaymentId, amountFen, method } }];
}

/** Takes back exactly what the recovery did; a cash reversal needs the cash to be still available. */
function reverseRecovery(c: Extract<FundCommand, { type: 'ReverseRecovery' }>, s: FundState, fundId: string): FundEvent[] {
  const r = s.recoveries.get(c.repaymentId);
  if (!r) throw new DomainError('invalid', `repayment ${c.repaymentId} was never recovered into this fund`);
  if (r.reversed) return [];
  if (isCashRecovery(r.method) && r.amountFen > s.availableFen) throw new InsufficientFundsError(fundId);
  return [{ type: 'RecoveryReversed', data: { loanId: r.loanId, repaymentId: c.repaymentId, amountFen: r.amountFen, method: r.method } }];
}

function writeOff(c: Extract<FundCommand, { type: 'WriteOff' }>, s: FundState): FundEvent[] {
  const before = s.writeOffs.get(c.loanId);
  if (before !== undefined) {
    if (before === c.amountFen) return [];
    throw new DomainError('invalid', `loan ${c.loanId} was already written off for ${before} fen`);
  }
  if (!Number.isSafeInteger(c.amountFen) || c.amountFen <= 0) throw new DomainError('invalid', 'a write-off is a positive whole number of fen');
  if (c.amountFen > receivableFen(s)) throw new DomainError('invalid', `the pool's loans owe it only ${receivableFen(s)} fen, less than ${c.amountFen} fen`);
  return [{ type: 'WrittenOff', data: { loanId: c.loanId, amountFen: c.amountFen } }];
}

export const fundDecider: StreamDecider<FundState, FundCommand, FundEvent> = {
  streamType: STREAM_TYPE.fund,
  decide: decideFund,
  evolve: evolveFund,
  initialState: initialFundState,
};
