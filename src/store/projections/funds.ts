import type { PoolClient } from 'pg';
import type { FundEvent } from '../../domain/funds/fund-events';
import { InsufficientFundsError } from '../../domain/funds/fund';
import { assertNever } from '../../domain/errors';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';

type Line = [account: string, debit: number, credit: number];

/** The balanced entry each fund event books, and how it moves the balances. */
/** How an event moves the balances (fen; a missing one does not move). */
interface Delta {
  deposited?: number;
  available?: number;
  reserved?: number;
  paid?: number;
  lent?: number;
  recoveredCash?: number;
  inKind?: number;
  writtenOff?: number;
}

/** The disbursement purpose whose payout is a loan: it is owed back to the pool. */
const LOAN_PRINCIPAL = 'loan_principal';

/**
 * The balanced entry each fund event books, and how it moves the balances. A revolving pool's
 * loans are on the fund's own books: lent money is receivable until it comes back in cash
 * (into available), in kind, or is written off.
 */
function booking(fundId: string, e: FundEvent): { kind: string; reference: string; lines: Line[]; delta: Delta } {
  const acct = (name: string) => `fund:${fundId}:${name}`;
  const loans = (name: 'receivable' | 'in_kind' | 'written_off') => `loans:${fundId}:${name}`;
  switch (e.type) {
    case 'FundOpened':
      return { kind: 'open', reference: e.data.account, lines: [], delta: {} };
    case 'Deposited':
      return {
        kind: 'deposit',
        reference: e.data.reference,
        lines: [
          [acct('available'), e.data.amountFen, 0],
          [`source:${e.data.source}`, 0, e.data.amountFen],
        ],
        delta: { deposited: e.data.amountFen, available: e.data.amountFen },
      };
    case 'Reserved':
      return {
        kind: 'reserve',
        reference: e.data.disbursementId,
        lines: [
          [acct('reserved'), e.data.amountFen, 0],
          [acct('available'), 0, e.data.amountFen],
        ],
        delta: { available: -e.data.amountFen, reserved: e.data.amountFen },
      };
    case 'Paid': {
      const loan = e.data.purpose === LOAN_PRINCIPAL;
      return {
        kind: 'pay',
        reference: e.data.disbursementId,
        lines: [
          [loan ? loans('receivable') : `disbursed:${e.data.purpose}`, e.data.amountFen, 0],
          [acct('reserved'), 0, e.data.amountFen],
        ],
        delta: { reserved: -e.data.amountFen, paid: e.data.amountFen, lent: loan ? e.data.amountFen : 0 },
      };
    }
    case 'Released':
      return {
        kind: 'release',
        reference: e.data.disbursementId,
        lines: [
          [acct('available'), e.data.amountFen, 0],
          [acct('reserved'), 0, e.data.amountFen],
        ],
        delta: { available: e.data.amountFen, reserved: -e.data.amountFen },
      };
    case 'Recovered': {
      const { amountFen, method } = e.data;
      const inKind = method === 'in_kind';
      return {
        kind: inKind ? 'recover_in_kind' : 'recover',
        reference: e.data.repaymentId,
        lines: [
          [inKind ? loans('in_kind') : acct('available'), amountFen, 0],
          [loans('receivable'), 0, amountFen],
        ],
        delta: inKind ? { inKind: amountFen } : { available: amountFen, recoveredCash: amountFen },
      };
    }
    case 'RecoveryReversed': {
      // The correcting entry: the recovery's lines with debit and credit swapped.
      const { amountFen, method } = e.data;
      const inKind = method === 'in_kind';
      return {
        kind: 'reverse_recovery',
        reference: e.data.repaymentId,
        lines: [
          [loans('receivable'), amountFen, 0],
          [inKind ? loans('in_kind') : acct('available'), 0, amountFen],
        ],
        delta: inKind ? { inKind: -amountFen } : { available: -amountFen, recoveredCash: -amountFen },
      };
    }
    case 'WrittenOff':
      return {
        kind: 'write_off',
        reference: e.data.loanId,
        lines: [
          [loans('written_off'), e.data.amountFen, 0],
          [loans('receivable'), 0, e.data.amountFen],
        ],
        delta: { writtenOff: e.data.amountFen },
      };
    default:
      return assertNever(e);
  }
}

async function book(tx: PoolClient, fundId: string, stored: StoredEvent): Promise<void> {
  const e = { type: stored.type, data: stored.data } as FundEvent;
  if (e.type === 'FundOpened') {
    await tx.query('INSERT INTO funds (fund_id, name, jurisdiction, account, currency, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      fundId,
      e.data.name,
      e.data.jurisdiction,
      e.data.account,
      e.data.currency,
      stored.recordedAt,
    ]);
    await tx.query('INSERT INTO fund_balances (fund_id) VALUES ($1)', [fundId]);
    return;
  }
  const b = booking(fundId, e);
  const entry = (
    await tx.query<{ entry_id: string }>(
      'INSERT INTO ledger_entries (fund_id, event_id, kind, reference, booked_at) VALUES ($1, $2, $3, $4, $5) RETURNING entry_id',
      [fundId, stored.eventId, b.kind, b.reference, stored.recordedAt],
    )
  ).rows[0];
  for (const [i, [account, debit, credit]] of b.lines.entries()) {
    await tx.query('INSERT INTO ledger_lines (entry_id, line_no, account, debit, credit) VALUES ($1, $2, $3, $4, $5)', [
      entry.entry_id,
      i + 1,
      account,
      debit,
      credit,
    ]);
  }
  const d = b.delta;
  try {
    // receivable is derived here, and checked against its parts by the table's CHECK.
    await tx.query(
      `UPDATE fund_balances SET deposited = deposited + $2, available = available + $3, reserved = reserved + $4, paid = paid + $5,
         lent = lent + $6, recovered_cash = recovered_cash + $7, in_kind = in_kind + $8, written_off = written_off + $9,
         receivable = receivable + $6 - $7 - $8 - $9
       WHERE fund_id = $1`,
      [fundId, d.deposited ?? 0, d.available ?? 0, d.reserved ?? 0, d.paid ?? 0, d.lent ?? 0, d.recoveredCash ?? 0, d.inKind ?? 0, d.writtenOff ?? 0],
    );
  } catch (err) {
    // A backstop: the fund's decider refuses such a reservation before it is appended.
    if ((err as { code?: string; constraint?: string }).constraint === 'fund_available_not_negative') throw new InsufficientFundsError(fundId);
    throw err;
  }
  if (e.type === 'Deposited') {
    await tx.query(
      `INSERT INTO fund_sources (fund_id, source, amount) VALUES ($1, $2, $3)
      ON CONFLICT (fund_id, source) DO UPDATE SET amount = fund_sources.amount + EXCLUDED.amount`,
      [fundId, e.data.source, e.data.amountFen],
    );
  }
}

/** Books each fund event into the fund's double-entry ledger and balances, in the append's transaction. */
export const fundProjector = projectorOf([STREAM_TYPE.fund], async (tx, events) => {
  for (const e of events) await book(tx, e.streamId, e);
});
