import { ApplicationFailure } from '@temporalio/common';
import type { Keyring } from '../crypto/keyring';
import { openAccount } from '../crypto/sealed-field';
import { DomainError } from '../domain/errors';
import type { DisbursementEvent } from '../domain/funds/disbursement';
import { InsufficientFundsError, fundDecider, type FundCommand } from '../domain/funds/fund';
import type { FundEvent } from '../domain/funds/fund-events';
import { STREAM_ID, STREAM_TYPE } from '../domain/streams';
import { ConcurrencyError } from '../store/errors';
import type { EventStore } from '../store/event-store';
import { handle } from '../store/handle';
import { appendWorkflowStep } from './append-workflow-step';
import { BankUnavailableError, PaymentRejectedError, type PaymentGateway, type PaymentStatus } from './bank/payment-gateway';

export interface LedgerMove {
  fundId: string;
  disbursementId: string;
  amountFen: number;
}

export interface DisbursementActivities {
  recordDisbursementEvents(input: {
    disbursementId: string;
    expectedVersion: number;
    events: DisbursementEvent[];
    actor: string;
  }): Promise<{ version: number }>;
  /** Earmarks the amount in the fund's books; fails (not retried) with type insufficient_funds. */
  reserveFunds(move: LedgerMove): Promise<void>;
  bookPayment(move: LedgerMove & { purpose: string; paymentId: string }): Promise<void>;
  releaseReservation(move: LedgerMove): Promise<void>;
  /**
   * Sends the payment order; the bank deduplicates by our key, the disbursement id. `toAccount`
   * is the payee's account as the workflow holds it: sealed (opened here, for the bank only) or,
   * in a workflow started before accounts were sealed, plain.
   */
  sendPayment(order: { disbursementId: string; fromAccount: string; toAccount: string; amountFen: number }): Promise<PaymentStatus>;
  paymentStatus(disbursementId: string): Promise<PaymentStatus | undefined>;
}

/**
 * Side effects of a disbursement. Every ledger move has an idempotency key derived from the
 * disbursement and the step, and the bank dedupes by the disbursement id, so a retried
 * activity, a restarted worker or a replayed workflow can never book or pay twice.
 */
export function createDisbursementActivities(store: EventStore, bank: PaymentGateway, keys: Keyring): DisbursementActivities {
  /**
   * A ledger move, decided by the fund's rules on the fund's stream. Many disbursements move
   * one fund at once: conflicts are retried by the handler, and if they persist the activity
   * is retried (a ConcurrencyError is non-retryable for the workflow: that means its own stream).
   */
  const moveFund = async (fundId: string, command: FundCommand) => {
    try {
      await handle(store, STREAM_ID.fund(fundId), fundDecider, command, { actor: 'system:disbursement', idempotencyKey: fundMoveKey });
    } catch (e) {
      if (e instanceof InsufficientFundsError)
        throw ApplicationFailure.create({ type: 'insufficient_funds', message: 'the fund has too little available', nonRetryable: true });
      if (e instanceof ConcurrencyError)
        throw ApplicationFailure.create({ type: 'fund_contended', message: 'the fund was changed by others on every attempt; trying again' });
      // A move the fund's books contradict is refused the same way on every retry.
      if (e instanceof DomainError) throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true });
      throw e;
    }
  };
  return {
    async recordDisbursementEvents({ disbursementId, expectedVersion, events, actor }) {
      const stream = { id: STREAM_ID.disbursement(disbursementId), type: STREAM_TYPE.disbursement, expectedVersion };
      const { version } = await appendWorkflowStep(store, stream, events, actor);
      return { version };
    },
    async reserveFunds({ fundId, disbursementId, amountFen }) {
      await moveFund(fundId, { type: 'Reserve', disbursementId, amountFen });
    },
    async bookPayment({ fundId, disbursementId, amountFen, purpose, paymentId }) {
      await moveFund(fundId, { type: 'Pay', disbursementId, amountFen, purpose, paymentId });
    },
    async releaseReservation({ fundId, disbursementId, amountFen }) {
      await moveFund(fundId, { type: 'Release', disbursementId, amountFen });
    },
    async sendPayment({ disbursementId, fromAccount, toAccount, amountFen }) {
      try {
        return await bank.send({ idempotencyKey: disbursementId, fromAccount, toAccount: openAccount(keys, toAccount), amountFen, reference: disbursementId });
      } catch (e) {
        if (e instanceof PaymentRejectedError) throw ApplicationFailure.create({ type: 'payment_rejected', message: e.message, nonRetryable: true });
        if (e instanceof BankUnavailableError) throw ApplicationFailure.create({ type: 'bank_unavailable', message: e.message }); // retried
        throw e;
      }
    },
    async paymentStatus(disbursementId) {
      try {
        return await bank.status(disbursementId);
      } catch (e) {
        if (e instanceof BankUnavailableError) throw ApplicationFailure.create({ type: 'bank_unavailable', message: e.message });
        throw e;
      }
    },
  };
}

/** One key per disbursement and move (as stored since the first fund event: they must not change). */
function fundMoveKey(e: FundEvent): string {
  switch (e.type) {
    case 'Reserved':
      return `${e.data.disbursementId}:reserve`;
    case 'Paid':
      return `${e.data.disbursementId}:paid`;
    case 'Released':
      return `${e.data.disbursementId}:release`;
    default:
      throw new Error(`a disbursement does not ${e.type} a fund`);
  }
}
