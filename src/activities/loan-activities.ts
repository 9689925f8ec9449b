import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Keyring } from '../crypto/keyring';
import { sealAccount, storedAccountMasked } from '../crypto/sealed-field';
import type { CasePolicy } from '../domain/case';
import { DomainError } from '../domain/errors';
import { DEFAULT_THRESHOLDS, requiredApprovals, type ApprovalThresholds } from '../domain/funds/approval-policy';
import type { DisbursementEvent } from '../domain/funds/disbursement';
import { fundDecider, InsufficientFundsError, type FundCommand } from '../domain/funds/fund';
import { batchDecider } from '../domain/loans/batch';
import { poolFundMoveKey, schemeEventKey } from '../domain/loans/event-keys';
import type { BatchEvent, LoanEvent } from '../domain/loans/events';
import { loanDecider } from '../domain/loans/loan';
import { schemeDecider } from '../domain/loans/scheme';
import { STREAM_ID } from '../domain/streams';
import { ConcurrencyError } from '../store/errors';
import type { EventStore } from '../store/event-store';
import { handle } from '../store/handle';
import { approvalPolicyFor } from '../store/jurisdiction-settings';
import { householdWithCurrentCase } from '../store/projections/households-queries';
import { startOrJoin } from '../temporal/start-or-join';
import { LOAN_WORKFLOWS, loanWorkflowId, type RevolvingLoanInput } from '../workflows/loan-messages';
import type { revolvingLoan } from '../workflows/revolving-loan';
import { appendWorkflowStep } from './append-workflow-step';

type Requested = Extract<DisbursementEvent, { type: 'DisbursementRequested' }>['data'];

export interface LoanPayoutInput {
  disbursementId: string;
  fundId: string;
  fundAccount: string;
  householdId: string;
  amountFen: number;
  requestedBy: string;
}

export interface LoanActivities {
  /**
   * Appends a loan's events (decided by the workflow, its stream's only writer). The money they
   * move is moved on the pool's fund first, keyed by repayment or loan, so a retry repeats neither.
   */
  recordLoanEvents(input: { loanId: string; fundId: string; expectedVersion: number; events: LoanEvent[]; actor: string }): Promise<{ version: number }>;
  recordBatchEvents(input: { batchId: string; expectedVersion: number; events: BatchEvent[]; actor: string }): Promise<{ version: number }>;
  /**
   * The disbursement request of one loan's principal, built as the API builds a household payout:
   * to the household's registered account (sealed), approvals by amount. A household no longer
   * enrolled, or without a registered account, gets no payout: the reason comes back instead.
   */
  loanPayoutRequest(input: LoanPayoutInput): Promise<{ request: Requested } | { refused: string }>;
  /**
   * Starts (or joins) the loan's own workflow once its payout is paid, with paidOn the day the
   * bank settled it. Started by the worker's client, not as a child: a loan lives for years
   * after its batch is done, and is nobody's child. Returns paidOn.
   */
  startLoan(input: Omit<RevolvingLoanInput, 'paidOn' | 'carried'>): Promise<string>;
  /** Releases the batch's cash claim on the scheme's stream. */
  settleBatch(input: { schemeId: string; batchId: string; loansPaid: number; paidFen: number }): Promise<void>;
}

export interface LoanActivityOptions {
  /** The approval thresholds of payouts (config APPROVAL_*), as the API applies them. */
  approvalThresholds?: ApprovalThresholds;
  /** The operator's default time limits (config), which a payout's approval steps are held to where no jurisdiction sets its own. */
  policyDefaults?: CasePolicy;
}

export function createLoanActivities(store: EventStore, pool: Pool, keys: Keyring, options: LoanActivityOptions = {}): LoanActivities {
  const thresholds = options.approvalThresholds ?? DEFAULT_THRESHOLDS;

  /** One fund move, decided by the fund's rules; contention is retried by the handler, then by the activity. */
  const moveFund = async (fundId: string, command: FundCommand) => {
    try {
      await handle(store, STREAM_ID.fund(fundId), fundDecider, command, { actor: 'system:loan', idempotencyKey: (e) => poolFundMoveKey(fundId, e) });
    } catch (e) {
      if (e instanceof ConcurrencyError)
        throw ApplicationFailure.create({ type: 'fund_contended', message: 'the fund was changed by others on every attempt; trying again' });
      if (e instanceof InsufficientFundsError || e instanceof DomainError)
        throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true });
      throw e;
    }
  };

  return {
    async recordLoanEvents({ loanId, fundId, expectedVersion, events, actor }) {
      for (const move of fundMoves(loanId, events)) await moveFund(fundId, move);
      const stream = { id: STREAM_ID.loan(loanId), type: loanDecider.streamType, expectedVersion };
      const { version } = await appendWorkflowStep(store, stream, events, actor);
      return { version };
    },

    async recordBatchEvents({ batchId, expectedVersion, events, actor }) {
      const stream = { id: STREAM_ID.batch(batchId), type: batchDecider.streamType, expectedVersion };
      const { version } = await appendWorkflowStep(store, stream, events, actor);
      return { version };
    },

    async loanPayoutRequest({ disbursementId, fundId, fundAccount, householdId, amountFen, requestedBy }) {
      const hh = await householdWithCurrentCase(pool, householdId);
      if (!hh) return { refused: 'the household is not registered' };
      if (hh.status !== 'enrolled') return { refused: `payouts go only to enrolled households; this one is ${hh.status}` };
      const registered = hh.state.household.bankAccount;
      if (!registered) return { refused: 'the household has no registered bank account' };
      return {
        request: {
          disbursementId,
          fundId,
          fundAccount,
          payee: {
            type: 'household',
            householdId,
            location: hh.state.location,
            account: sealAccount(keys, registered.accountNumber), // kept sealed (a sealed one as it is); opened only for the bank
            accountMasked: storedAccountMasked(registered.accountNumber, registered.accountMasked),
          },
          purpose: 'loan_principal',
          amountFen,
          requiredApprovals: requiredApprovals(amountFen, thresholds),
          requestedBy,
          ...(options.policyDefaults && { approvalPolicy: await approvalPolicyFor(pool, hh.state.location.village, options.policyDefaults) }),
        },
      };
    },

    async startLoan(input) {
      const confirmed = (await store.readStream(STREAM_ID.disbursement(input.disbursementId))).find((e) => e.type === 'PaymentConfirmed');
      if (!confirmed) throw ApplicationFailure.create({ type: 'not_paid', message: `disbursement ${input.disbursementId} is not paid`, nonRetryable: true });
      const paidOn = String((confirmed.data as { settledAt: string }).settledAt).slice(0, 10);
      const { client, info } = Context.current();
      await startOrJoin<typeof revolvingLoan>(client, LOAN_WORKFLOWS.loan as unknown as typeof revolvingLoan, {
        taskQueue: info.taskQueue,
        workflowId: loanWorkflowId(input.loanId),
        args: [{ ...input, paidOn }],
      });
      return paidOn;
    },

    async settleBatch({ schemeId, batchId, loansPaid, paidFen }) {
      try {
        await handle(
          store,
          STREAM_ID.scheme(schemeId),
          schemeDecider,
          { type: 'SettleBatch', batchId, loansPaid, paidFen },
          { actor: 'system:loan-batch', idempotencyKey: (e) => schemeEventKey(schemeId, e) },
        );
      } catch (e) {
        if (e instanceof DomainError) throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true });
        throw e;
      }
    },
  };
}

/** The pool's fund moves a loan's events make (each idempotent by its repayment or loan: never twice). */
function fundMoves(loanId: string, events: LoanEvent[]): FundCommand[] {
  return events.flatMap((e): FundCommand[] => {
    switch (e.type) {
      case 'RepaymentRecorded':
        return [{ type: 'Recover', loanId, repaymentId: e.data.repaymentId, amountFen: e.data.amountFen, method: e.data.method }];
      case 'RepaymentReversed':
        return [{ type: 'ReverseRecovery', repaymentId: e.data.repaymentId }];
      case 'LoanWrittenOff':
        return [{ type: 'WriteOff', loanId, amountFen: e.data.amountFen }];
      default:
        return [];
    }
  });
}
