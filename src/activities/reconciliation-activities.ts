import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { maskAccount } from '../domain/funds/money';
import { compareStatement, type BankLine, type BookedPayout, type ReconciliationResult } from '../domain/funds/reconciliation';
import { reconciliationDecider, reconciliationEventKey } from '../domain/funds/reconciliation-events';
import { STREAM_ID } from '../domain/streams';
import type { EventStore } from '../store/event-store';
import { handle } from '../store/handle';
import { BankUnavailableError, PaymentRejectedError, type PaymentGateway } from './bank/payment-gateway';

// The result is the domain's (the API answers with it); re-exported for the activity's callers.
export type { ReconciliationResult };

export interface ReconciliationActivities {
  /**
   * Compares the bank's statement of the fund's account for one UTC day with our books and
   * records what changed on the day's reconciliation stream. Idempotent: a re-run with the same
   * bank and books appends nothing and returns the same result.
   */
  reconcileFund(input: { fundId: string; date: string; actor: string }): Promise<ReconciliationResult>;
  listFundIds(): Promise<string[]>;
}

export function createReconciliationActivities(store: EventStore, pool: Pool, bank: PaymentGateway): ReconciliationActivities {
  /**
   * Our side: the fund's own `Paid` events, i.e. the books (each one is the ledger's `pay`
   * entry), not the `disbursements` read model: the events are immutable and hash-chained,
   * they are exactly what moved money in the ledger, and a read-model row is a mutable summary
   * written by the disbursement stream. Each is dated by the bank's settlement time
   * (`PaymentConfirmed.settledAt` on the disbursement's stream), not by when we booked it, so
   * a payment settled at 23:59 and booked at 00:01 lands on the bank's day; until the
   * confirmation is recorded (a moment after the booking) the booking time stands in.
   * Booking never precedes settlement, so only bookings from the day before on are read.
   */
  async function booksOf(fundId: string, date: string): Promise<BookedPayout[]> {
    const rows = (
      await pool.query<{ key: string; amount_fen: string; payment_id: string; settled_at: string }>(
        `SELECT p.data->>'disbursementId' AS key, p.data->>'amountFen' AS amount_fen, p.data->>'paymentId' AS payment_id,
              coalesce(c.data->>'settledAt', to_json(p.recorded_at)#>>'{}') AS settled_at
       FROM events p
       LEFT JOIN LATERAL (
         SELECT data FROM events c WHERE c.stream_id = p.data->>'disbursementId' AND c.type = 'PaymentConfirmed' ORDER BY c.version LIMIT 1
       ) c ON true
       WHERE p.stream_id = $1 AND p.type = 'Paid' AND p.recorded_at >= $2::timestamptz - interval '1 day'`,
        [fundId, `${date}T00:00:00Z`],
      )
    ).rows;
    return rows
      .filter((r) => new Date(r.settled_at).toISOString().slice(0, 10) === date)
      .map((r) => ({ key: r.key, amountFen: Number(r.amount_fen), paymentId: r.payment_id }));
  }

  async function statementOf(account: string, date: string): Promise<BankLine[]> {
    try {
      return (await bank.statement(account, date)).map((l) => ({
        key: l.idempotencyKey,
        amountFen: l.amountFen,
        paymentId: l.paymentId,
        toAccountMasked: maskAccount(l.toAccount),
      }));
    } catch (e) {
      if (e instanceof BankUnavailableError) throw ApplicationFailure.create({ type: 'bank_unavailable', message: e.message }); // retried
      if (e instanceof PaymentRejectedError) throw ApplicationFailure.create({ type: 'statement_refused', message: e.message, nonRetryable: true });
      throw e;
    }
  }

  return {
    async reconcileFund({ fundId, date, actor }) {
      const fund = (await pool.query<{ account: string }>('SELECT account FROM funds WHERE fund_id = $1', [fundId])).rows[0];
      if (!fund) throw ApplicationFailure.create({ type: 'not_found', message: `no fund ${fundId}`, nonRetryable: true });
      const [lines, books] = await Promise.all([statementOf(fund.account, date), booksOf(fundId, date)]);
      const found = compareStatement(books, lines);
      // Another run of the same day may append between our read and our append: the handler reads again and redoes.
      const { state } = await handle(
        store,
        STREAM_ID.reconciliation(fundId, date),
        reconciliationDecider,
        {
          type: 'RecordRun',
          found,
          counts: { fundId, date, bankLines: lines.length, bookedPayouts: books.length },
        },
        { actor, idempotencyKey: reconciliationEventKey },
      );
      return {
        fundId,
        date,
        matched: found.matched,
        mismatches: found.mismatches,
        bankLines: lines.length,
        bookedPayouts: books.length,
        reconciledAt: state.lastAt as string,
      };
    },
    async listFundIds() {
      return (await pool.query<{ fund_id: string }>('SELECT fund_id FROM funds ORDER BY fund_id')).rows.map((r) => r.fund_id);
    },
  };
}
