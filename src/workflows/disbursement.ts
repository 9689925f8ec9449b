/**
 * One payment from a special fund: approvals by amount, then reserve → pay → confirm, or
 * release on failure. Exactly once: the bank dedupes by the disbursement id, and every
 * ledger move is keyed by disbursement and step.
 */
import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { DisbursementActivities } from '../activities/disbursement-activities';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/roles';
import { ACTORS_PLACED, assertActorPlaced } from './actors-placed';
import { serialQueue } from './serial';
import {
  decideDisbursement,
  decideDisbursementCommand,
  evolveDisbursement,
  type DisbursementCommand,
  type DisbursementDecision,
  type DisbursementEvent,
  type DisbursementState,
} from '../domain/funds/disbursement';
import { nextApprovalEscalation } from '../domain/funds/approval-escalation';

type Requested = Extract<DisbursementEvent, { type: 'DisbursementRequested' }>['data'];
export interface DisbursementInput {
  request: Requested;
}

export const disbursementStateQuery = defineQuery<DisbursementState | undefined>('disbursementState');
export const recordedUpdate = defineUpdate<DisbursementState>('recorded');
export const decideDisbursementUpdate = defineUpdate<DisbursementState, [DisbursementDecision]>('decideDisbursement');
export type ReassignApprovalInput = Extract<DisbursementCommand, { type: 'ReassignTask' }>;
/** Issue #13: a supervisor gives the open approval task to another approver (recorded on the disbursement). */
export const reassignApprovalUpdate = defineUpdate<DisbursementState, [ReassignApprovalInput]>('reassignTask');

/** Patch id (issue #13): durable timers remind an approval step past its limit, then escalate a town step to the county. */
export const APPROVAL_ESCALATION = 'approval-escalation';

const ledger = proxyActivities<DisbursementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['ConcurrencyError', 'IdempotencyConflictError', 'insufficient_funds'],
  },
});
const bank = proxyActivities<DisbursementActivities>({
  // Shorter than the bank may take: a timed-out call is retried, and the bank dedupes it.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['payment_rejected'] },
});

function failureType(e: unknown): string | undefined {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

export async function disbursement({ request }: DisbursementInput): Promise<DisbursementState> {
  let state: DisbursementState | undefined;
  const steps = serialQueue();
  const id = request.disbursementId;
  const s = () => state as DisbursementState;

  async function record(events: DisbursementEvent[], actor: string): Promise<void> {
    await ledger.recordDisbursementEvents({ disbursementId: id, expectedVersion: state?.version ?? 0, events, actor });
    state = events.reduce<DisbursementState | undefined>(evolveDisbursement, state);
  }
  /** A step of the disbursement's own, decided by the domain like an approver's. */
  const step = (command: DisbursementCommand, actor: string) => record(decideDisbursementCommand(command, state), actor);
  const toFailure = (e: unknown) => (e instanceof DomainError ? ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true }) : e);

  setHandler(disbursementStateQuery, () => state);
  setHandler(recordedUpdate, async () => {
    await condition(() => state !== undefined);
    return state as DisbursementState;
  });
  /** A person's step: validated on the state now (a refusal leaves no trace), decided again in turn. */
  function human<I extends { actor: Actor }>(decideIt: (i: I, s: DisbursementState) => DisbursementEvent[]) {
    return {
      handler: (i: I) =>
        steps.run(async () => {
          await condition(() => state !== undefined);
          try {
            if (patched(ACTORS_PLACED)) assertActorPlaced(i.actor);
            await record(decideIt(i, state as DisbursementState), i.actor.userId);
            return state as DisbursementState;
          } catch (e) {
            throw toFailure(e);
          }
        }),
      validator: (i: I) => {
        try {
          assertActorPlaced(i.actor);
          if (steps.busy || !state) return; // decided in turn by the handler
          decideIt(i, state);
        } catch (e) {
          throw toFailure(e);
        }
      },
    };
  }
  const decision = human<DisbursementDecision>(decideDisbursement);
  setHandler(decideDisbursementUpdate, decision.handler, { validator: decision.validator });
  const reassign = human<ReassignApprovalInput>((c, s) => decideDisbursementCommand(c, s));
  setHandler(reassignApprovalUpdate, reassign.handler, { validator: reassign.validator });

  await step({ type: 'Request', request }, request.requestedBy);
  if (patched(APPROVAL_ESCALATION)) await escalateWhileWaiting();
  await condition(() => (state as DisbursementState).status !== 'awaiting_approval');
  await condition(() => !steps.busy);
  if (s().status === 'approved') {
    const move = { fundId: request.fundId, disbursementId: id, amountFen: request.amountFen };
    let reserved = false;
    try {
      await ledger.reserveFunds(move);
      reserved = true;
    } catch (e) {
      if (failureType(e) !== 'insufficient_funds') throw e;
      await step({ type: 'Refuse', reason: 'the fund has too little available' }, 'system:disbursement');
    }
    if (reserved) {
      await step({ type: 'RecordReservation', amountFen: request.amountFen }, 'system:disbursement');
      await pay(move);
    }
  }
  await condition(allHandlersFinished);
  return s();

  /**
   * While approvals are awaited: each step past its limit is reminded, then escalated, each on
   * a durable timer. A step opens at the request or at the approval before it (workflow time).
   */
  async function escalateWhileWaiting(): Promise<void> {
    let round = -1;
    let since = '';
    while (s().status === 'awaiting_approval') {
      if (s().approvals.length !== round) [round, since] = [s().approvals.length, new Date().toISOString()];
      const version = s().version;
      const next = nextApprovalEscalation(s(), since);
      if (!next) {
        await condition(() => s().version !== version);
        continue;
      }
      if (await condition(() => s().version !== version, Math.max(0, Date.parse(next.at) - Date.now()))) continue;
      await steps.run(async () => {
        // Decided on the state as it is now: an approval that landed meanwhile leaves nothing to record.
        const events = decideDisbursementCommand({ type: next.type, round: next.round, since, at: new Date().toISOString() }, s());
        if (events.length > 0) await record(events, 'system:escalation-timer');
      });
    }
  }

  async function pay(move: { fundId: string; disbursementId: string; amountFen: number }): Promise<void> {
    let status;
    try {
      status = await bank.sendPayment({ disbursementId: id, fromAccount: request.fundAccount, toAccount: request.payee.account, amountFen: request.amountFen });
    } catch (e) {
      if (failureType(e) !== 'payment_rejected') throw e;
      status = { status: 'failed' as const, reason: 'the bank refused the order', paymentId: '' };
    }
    await step({ type: 'RecordPaymentSent', paymentId: 'paymentId' in status ? status.paymentId : undefined }, 'system:bank');
    // The bank confirms asynchronously: poll with backoff (durable timers survive restarts).
    let wait = 500;
    while (status?.status === 'pending' || status === undefined) {
      await sleep(wait);
      wait = Math.min(wait * 2, 10_000); // cap: a settled payment is booked within ~10 s
      status = await bank.paymentStatus(id);
    }
    if (status.status === 'settled') {
      await ledger.bookPayment({ ...move, purpose: request.purpose, paymentId: status.paymentId });
      await step({ type: 'ConfirmPayment', paymentId: status.paymentId, settledAt: status.settledAt }, 'system:bank');
    } else {
      await ledger.releaseReservation(move);
      await step({ type: 'FailPayment', reason: status.reason, releasedFen: request.amountFen }, 'system:bank');
    }
  }
}
