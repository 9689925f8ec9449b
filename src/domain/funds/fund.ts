/**
 * A special fund's rules ("three specialized and closed"): money comes in by deposits, and
 * leaves only by a reservation for an approved disbursement, later paid out or released.
 * A reservation cannot exceed what is available. The database's CHECK on the balances stays
 * as a backstop; the rule lives here, decided on the fund's own events.
 */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { STREAM_TYPE } from '../streams';
import type { FundEvent, FundSource } from './fund-events';

export type FundCommand =
  | { type: 'Open'; fundId: string; name: string; jurisdiction: string; account: string }
  | { type: 'Deposit'; amountFen: number; source: FundSource; reference: string }
  | { type: 'Reserve'; disbursementId: string; amountFen: number }
  | { type: 'Pay'; disbursementId: string; amountFen: number; purpose: string; paymentId: string }
  | { type: 'Release'; disbursementId: string; amountFen: number };

export type ReservationStatus = 'reserved' | 'paid' | 'released';

export interface FundState {
  opened?: { fundId: string; name: string; jurisdiction: string; account: string };
  depositedFen: number;
  availableFen: number;
  reservedFen: number;
  paidFen: number;
  /** Every disbursement's reservation and what became of it, so a retried move is recognised. */
  reservations: ReadonlyMap<string, { amountFen: number; status: ReservationStatus }>;
}

/** A reservation larger than what the fund has available. */
export class InsufficientFundsError extends DomainError {
  constructor(readonly fundId: string) {
    super('invalid', `fund ${fundId} has too little available for this`);
    this.name = 'InsufficientFundsError';
  }
}

export const initialFundState = (): FundState => ({ depositedFen: 0, availableFen: 0, reservedFen: 0, paidFen: 0, reservations: new Map() });

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
        reservations: mark(e.data.disbursementId, e.data.amountFen, 'paid'),
      };
    case 'Released':
      return {
        ...s,
        availableFen: s.availableFen + e.data.amountFen,
        reservedFen: s.reservedFen - e.data.amountFen,
        reservations: mark(e.data.disbursementId, e.data.amountFen, 'released'),
      };
    // Loan recoveries (issue #10): cash and bank transfers come back into what is available;
    // in-kind repayments and write-offs move no cash.
    case 'Recovered':
      return e.data.method === 'in_kind' ? s : { ...s, availableFen: s.availableFen + e.data.amountFen };
    case 'RecoveryReversed':
      return e.data.method === 'in_kind' ? s : { ...s, availableFen: s.availableFen - e.data.amountFen };
    case 'WrittenOff':
      return s;
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

export const fundDecider: StreamDecider<FundState, FundCommand, FundEvent> = {
  streamType: STREAM_TYPE.fund,
  decide: decideFund,
  evolve: evolveFund,
  initialState: initialFundState,
};
