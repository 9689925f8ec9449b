import { ApplicationFailure } from '@temporalio/common';
import type { Keyring } from '../crypto/keyring';
import { openAccount } from '../crypto/sealed-field';
import type { DisbursementEvent } from '../domain/funds/disbursement';
import type { EventStore } from '../store/event-store';
import { appendWorkflowStep } from './append-workflow-step';
import { DISBURSEMENT_STREAM } from '../store/projections/disbursements';
import { FUND_STREAM, InsufficientFundsError } from '../store/projections/funds';
import { BankUnavailableError, PaymentRejectedError, type PaymentGateway, type PaymentStatus } from './bank/payment-gateway';

export interface LedgerMove {
  fundId: string;
  disbursementId: string;
  amountFen: number;
}

export interface DisbursementActivities {
  recordDisbursementEvents(input: { disbursementId: string; expectedVersion: number; events: DisbursementEvent[]; actor: string }): Promise<{ version: number }>;
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
  const fundAppend = async (fundId: string, key: string, type: string, data: Record<string, unknown>) => {
    await store.append(fundId, FUND_STREAM, 'any', [{ type, data, actor: 'system:disbursement', idempotencyKey: key }]);
  };
  return {
    async recordDisbursementEvents({ disbursementId, expectedVersion, events, actor }) {
      const { version } = await appendWorkflowStep(store, { id: disbursementId, type: DISBURSEMENT_STREAM, expectedVersion }, events, actor);
      return { version };
    },
    async reserveFunds({ fundId, disbursementId, amountFen }) {
      try {
        await fundAppend(fundId, `${disbursementId}:reserve`, 'Reserved', { disbursementId, amountFen });
      } catch (e) {
        if (e instanceof InsufficientFundsError) throw ApplicationFailure.create({ type: 'insufficient_funds', message: 'the fund has too little available', nonRetryable: true });
        throw e;
      }
    },
    async bookPayment({ fundId, disbursementId, amountFen, purpose, paymentId }) {
      await fundAppend(fundId, `${disbursementId}:paid`, 'Paid', { disbursementId, amountFen, purpose, paymentId });
    },
    async releaseReservation({ fundId, disbursementId, amountFen }) {
      await fundAppend(fundId, `${disbursementId}:release`, 'Released', { disbursementId, amountFen });
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
