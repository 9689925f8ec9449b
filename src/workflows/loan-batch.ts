/**
 * One cycle of a revolving scheme: the households proposed (the scheme's BatchProposed, the
 * cash claim, is appended by the API before this starts), publicised with objections, each
 * household's agreement signed, then one loan per signed household paid through the existing
 * `disbursement` workflow (approvals, closed operation, exactly once) and, once paid, a
 * `revolvingLoan` of its own that outlives the batch (started by an activity: a loan is nobody's child). Then the batch is completed and its claim
 * on the pool's cash released. Orchestration only: the rules are the batch decider's.
 *
 * The history holds ids only: households by id, the payee's account sealed (in the child's input).
 * Nothing is deployed yet, so no `patched()`; any later change to the order of steps below
 * must be guarded by one (see revolving-loan.ts).
 */
import { ApplicationFailure, allHandlersFinished, condition, executeChild, patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { LoanActivities } from '../activities/loan-activities';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/roles';
import { ACTORS_PLACED, assertActorPlaced } from './actors-placed';
import type { DisbursementState } from '../domain/funds/disbursement';
import type { BatchCommand } from '../domain/loans/commands';
import type { BatchEvent } from '../domain/loans/events';
import { batchDecider, type BatchState } from '../domain/loans/batch';
import { durationMs } from '../domain/time';
import { disbursement } from './disbursement';
import {
  loanBatchQuery,
  raiseBatchObjectionUpdate,
  resolveBatchObjectionUpdate,
  signAgreementUpdate,
  type LoanBatchInput,
  type LoanBatchView,
} from './loan-messages';
import { serialQueue } from './serial';

/** Days before each due date that the village official is reminded. */
export const REMINDER_DAYS = 14;

const activities = proxyActivities<LoanActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['ConcurrencyError', 'IdempotencyConflictError'] },
});

const toFailure = (e: unknown) => (e instanceof DomainError ? ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true }) : e);
const nowIso = () => new Date().toISOString();

/** The loan and payout ids of the n-th signed household (1-based): derived from the batch, so never two. */
export function loanIdsOf(batchId: string, n: number): { loanId: string; disbursementId: string } {
  const loanId = `loan-${batchId.replace(/^batch-/, '')}-${n}`;
  return { loanId, disbursementId: `disb-${loanId}` };
}

export async function loanBatch(input: LoanBatchInput): Promise<LoanBatchView> {
  let decided: BatchState | undefined = batchDecider.initialState();
  let view: LoanBatchView | undefined;
  let version = 0;
  const steps = serialQueue();
  const { batchId } = input;

  async function apply(commands: BatchCommand[], actor: string): Promise<LoanBatchView> {
    let next = decided;
    const events: BatchEvent[] = [];
    for (const c of commands) {
      const decidedNow = batchDecider.decide(c, next);
      events.push(...decidedNow);
      next = decidedNow.reduce((s, e) => batchDecider.evolve(s, e), next);
    }
    if (events.length > 0) {
      await activities.recordBatchEvents({ batchId, expectedVersion: version, events, actor });
      decided = next;
      version += events.length;
      view = events.reduce((v, e) => evolveView(v, e, input), view);
      (view as LoanBatchView).version = version;
    }
    return view as LoanBatchView;
  }

  function register<I extends { actor: Actor }>(update: UpdateDefinition<LoanBatchView, [I]>, command: (i: I) => BatchCommand): void {
    setHandler(
      update,
      (i) =>
        steps.run(async () => {
          try {
            if (patched(ACTORS_PLACED)) assertActorPlaced(i.actor);
            return await apply([command(i)], i.actor.userId);
          } catch (e) {
            throw toFailure(e);
          }
        }),
      {
        validator: (i) => {
          try {
            assertActorPlaced(i.actor);
            if (steps.busy || !view) return; // decided in turn by the handler
            batchDecider.decide(command(i), decided);
          } catch (e) {
            throw toFailure(e);
          }
        },
      },
    );
  }
  register(raiseBatchObjectionUpdate, (i) => ({ type: 'RaiseObjection', ...i, now: nowIso() }));
  register(resolveBatchObjectionUpdate, (i) => ({ type: 'ResolveObjection', ...i }));
  register(signAgreementUpdate, (i) => ({ type: 'SignAgreement', ...i, now: nowIso() }));
  setHandler(loanBatchQuery, () => view);

  const v = () => view as LoanBatchView;
  const publicityEndsAt = new Date(Date.now() + durationMs(input.publicityPeriod)).toISOString();
  await steps.run(() =>
    apply(
      [
        {
          type: 'OpenBatch',
          batchId,
          schemeId: input.schemeId,
          fundId: input.fundId,
          cycle: input.cycle,
          termsVersion: input.termsVersion,
          terms: input.terms,
          households: input.households,
          publicityEndsAt,
          // Who may propose was decided on the scheme's stream (ProposeBatch, by a county official);
          // the batch is opened in the proposer's name, and the decider reads only the id.
          actor: { userId: input.proposedBy, role: 'county_official', jurisdiction: input.households[0]?.location.county ?? '' },
        },
      ],
      input.proposedBy,
    ),
  );

  // Publicity: the full period, and then until every objection is resolved.
  await sleep(Math.max(0, Date.parse(publicityEndsAt) - Date.now()));
  await condition(() => !steps.busy && v().objections.every((o) => o.resolved));
  await steps.run(() => apply([{ type: 'EndPublicity', now: nowIso() }], 'system:publicity-timer'));

  // Signing: until every household still in the batch signed, or the period ran out.
  const signingMs = durationMs(input.signingPeriod);
  v().signingEndsAt = new Date(Date.now() + signingMs).toISOString();
  await condition(() => !v().households.some((h) => h.status === 'proposed'), signingMs);
  await condition(() => !steps.busy);
  await steps.run(() => apply([{ type: 'CloseSigning' }], 'system:signing-timer'));

  // One loan per signed household: issued (ids fixed) in one step, then paid concurrently.
  const signed = v().households.filter((h) => h.status === 'signed');
  const loans = signed.map((h, i) => ({ household: input.households.find((x) => x.householdId === h.householdId)!, ...loanIdsOf(batchId, i + 1) }));
  await steps.run(() =>
    apply(
      loans.map((l) => ({ type: 'IssueLoan', householdId: l.household.householdId, loanId: l.loanId, disbursementId: l.disbursementId })),
      'system:loan-batch',
    ),
  );
  const outcomes = await Promise.all(loans.map((l) => payAndOpen(l)));
  const paid = outcomes.filter((o) => o.paid).length;
  const failed = loans.filter((_, i) => !outcomes[i].paid).map((l) => l.household.householdId);
  const paidFen = paid * input.terms.amountFen;
  await steps.run(() => apply([{ type: 'CompleteBatch', loansPaid: paid, paidFen, failed }], 'system:loan-batch'));
  await activities.settleBatch({ schemeId: input.schemeId, batchId, loansPaid: paid, paidFen });
  await condition(allHandlersFinished);
  return v();

  /** Pays one loan through a child disbursement; once paid, starts the loan's own workflow (which outlives the batch). */
  async function payAndOpen(l: (typeof loans)[number]): Promise<{ paid: boolean }> {
    const built = await activities.loanPayoutRequest({
      disbursementId: l.disbursementId,
      fundId: input.fundId,
      fundAccount: input.fundAccount,
      householdId: l.household.householdId,
      amountFen: input.terms.amountFen,
      requestedBy: input.proposedBy,
    });
    if ('refused' in built) return { paid: false };
    // Abandoned, not terminated, should the batch ever be: a payout half done must finish.
    const result: DisbursementState = await executeChild(disbursement, {
      workflowId: l.disbursementId,
      args: [{ request: built.request }],
      parentClosePolicy: 'ABANDON',
    });
    if (result.status !== 'paid') return { paid: false };
    await activities.startLoan({
      loanId: l.loanId,
      schemeId: input.schemeId,
      batchId,
      fundId: input.fundId,
      household: l.household,
      terms: input.terms,
      termsVersion: input.termsVersion,
      disbursementId: l.disbursementId,
      reminderDays: REMINDER_DAYS,
      ...(input.escalateAfter && { escalateAfter: input.escalateAfter }),
    });
    const h = v().households.find((x) => x.householdId === l.household.householdId);
    if (h) h.status = 'paid';
    return { paid: true };
  }
}

/** The batch as its stream has it, for the Query and the Updates' answers. */
export function evolveView(view: LoanBatchView | undefined, e: BatchEvent, input: Pick<LoanBatchInput, 'schemeId'>): LoanBatchView {
  if (e.type === 'BatchOpened') {
    const d = e.data;
    return {
      batchId: d.batchId,
      schemeId: d.schemeId ?? input.schemeId,
      cycle: d.cycle,
      status: 'publicity',
      publicityEndsAt: d.publicityEndsAt,
      households: d.households.map((h) => ({ householdId: h.householdId, village: h.location.village, status: 'proposed' })),
      objections: [],
      loansPaid: 0,
      paidFen: 0,
      version: 0,
    };
  }
  if (!view) throw new Error(`${e.type} before BatchOpened`);
  const households = view.households.map((h) => ({ ...h }));
  const household = (id: string) => households.find((h) => h.householdId === id);
  switch (e.type) {
    case 'BatchObjectionRaised':
      return { ...view, objections: [...view.objections, { objectionId: e.data.objectionId, householdId: e.data.householdId, resolved: false }] };
    case 'BatchObjectionResolved': {
      const objections = view.objections.map((o) => (o.objectionId === e.data.objectionId ? { ...o, resolved: true, substantiated: e.data.substantiated } : o));
      const h = household(e.data.householdId);
      if (h && e.data.substantiated) h.status = 'removed';
      return { ...view, objections, households };
    }
    case 'BatchPublicityEnded':
      return { ...view, status: 'signing' };
    case 'AgreementSigned': {
      const h = household(e.data.householdId);
      if (h) h.status = 'signed';
      return { ...view, households };
    }
    case 'SigningClosed':
      for (const id of e.data.unsigned) {
        const h = household(id);
        if (h) h.status = 'unsigned';
      }
      return { ...view, status: 'paying', households };
    case 'LoanIssued': {
      const h = household(e.data.householdId);
      if (h) h.loanId = e.data.loanId;
      return { ...view, households };
    }
    case 'BatchCompleted':
      for (const h of households) if (h.loanId) h.status = e.data.failed.includes(h.householdId) ? 'failed' : 'paid';
      return { ...view, status: 'completed', households, loansPaid: e.data.loansPaid, paidFen: e.data.paidFen };
    default:
      return view;
  }
}
