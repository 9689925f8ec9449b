/**
 * One household's revolving loan, for its whole life (years): opened once its payout settled,
 * reminders before each due date on durable timers, and every human step (repayment, in kind,
 * reversal, hardship) an Update whose validator runs the loan's decider, so a refused step (an
 * overpayment, a repayment to a closed loan) fails the caller at once and leaves no trace.
 * Money steps move the pool's fund in the same activity as the loan's events (fund first).
 *
 * Long life: the run continues as new when Temporal suggests it or the history passes
 * HISTORY_LIMIT, carrying the state and the ids of the Updates already processed (Temporal
 * dedupes an Update id within one run only). After closure the workflow lingers LINGER_AFTER_CLOSE
 * so that a mistaken repayment on a closed loan can still be reversed, then ends.
 *
 * Nothing is deployed yet, so no `patched()` here. Once it is: any change to the order of the
 * activities, timers or child starts below must be guarded by `patched('<change-id>')`, and a
 * history of the old code recorded under test/histories kept until no run of it is left.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { LoanActivities } from '../activities/loan-activities';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/roles';
import type { LoanCommand } from '../domain/loans/commands';
import type { LoanEvent } from '../domain/loans/events';
import { loanDecider, type LoanState } from '../domain/loans/loan';
import { nextOverdueEscalation } from '../domain/loans/overdue-escalation';
import { ESCALATE_AFTER_DEFAULT } from '../domain/case/escalation';
import {
  confirmInKindUpdate,
  decideHardshipUpdate,
  loanQuery,
  reassignLoanTaskUpdate,
  recordRepaymentUpdate,
  rejectInKindUpdate,
  reportHardshipUpdate,
  reverseRepaymentUpdate,
  valueInKindUpdate,
  type RevolvingLoanInput,
} from './loan-messages';
import { ACTORS_PLACED, assertActorPlaced } from './actors-placed';
import { serialQueue } from './serial';

/** Run-time knobs a test may lower; production runs use the defaults. */
export interface RevolvingLoanRunInput extends RevolvingLoanInput {
  /** Continue as new once the history has this many events (default HISTORY_LIMIT). */
  historyLimit?: number;
}

export const HISTORY_LIMIT = 2_000;
/** Patch id (issue #13): a reminded instalment still unpaid after its grace days goes up to the town, then the county, on durable timers. */
export const OVERDUE_ESCALATION = 'loan-overdue-escalation';
/** Patch id: whoever recorded a repayment may not reverse it; a second official must. */
export const SECOND_OFFICIAL_REVERSES = 'loan-second-official-reverses';
/** How long a closed loan's workflow stays to take a reversal (a mistaken repayment found late). */
export const LINGER_AFTER_CLOSE_MS = 90 * 86_400_000;
const DAY_MS = 86_400_000;

const { recordLoanEvents } = proxyActivities<LoanActivities>({
  startToCloseTimeout: '30 seconds',
  // Through outages, with backoff; a version conflict on the loan's own stream, or a fund move
  // the fund's books refuse, is not fixed by retrying.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['ConcurrencyError', 'IdempotencyConflictError'] },
});

const toFailure = (e: unknown) => (e instanceof DomainError ? ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true }) : e);
const today = () => new Date().toISOString().slice(0, 10);
const fold = (events: LoanEvent[], s: LoanState | undefined) => events.reduce<LoanState | undefined>((acc, e) => loanDecider.evolve(acc, e), s);

export async function revolvingLoan(input: RevolvingLoanRunInput): Promise<LoanState> {
  let state: LoanState | undefined = input.carried?.state ?? loanDecider.initialState();
  const s = () => state as LoanState;
  const processed = new Set(input.carried?.processedUpdateIds ?? []);
  /** Reminders the decider declined (already paid, or no longer due): not asked again this run. */
  const declined = new Set<string>();
  /** Escalations the decider declined (not due after all): not asked again this run, so a timer never spins. */
  const declinedEscalations = new Set<string>();
  const escalateAfter = input.escalateAfter ?? ESCALATE_AFTER_DEFAULT;
  const steps = serialQueue();
  const historyLimit = input.historyLimit ?? HISTORY_LIMIT;

  /**
   * Decides the commands in turn on the state as it then is, and records their events in one
   * activity call. A loan whose last cent came in (or left by write-off) is closed in the same step.
   */
  async function apply(commands: LoanCommand[], actor: string): Promise<LoanState> {
    let next = state;
    const events: LoanEvent[] = [];
    const take = (c: LoanCommand) => {
      const decided = loanDecider.decide(c, next);
      events.push(...decided);
      next = fold(decided, next);
    };
    commands.forEach(take);
    if (next?.status === 'active' && next.paidOn !== undefined && next.outstandingFen === 0) take({ type: 'Close', today: today() });
    if (events.length > 0) {
      await recordLoanEvents({ loanId: input.loanId, fundId: input.fundId, expectedVersion: state?.version ?? 0, events, actor });
      state = next;
    }
    return s();
  }

  /**
   * A human step: validated on the state now, decided again in turn, deduped by Update id across
   * runs. `rules(patchId)` says whether a rule added later applies: always to a new request (a
   * validator never replays), in the handler as `patched()` says, so old histories replay as decided.
   */
  function human<I extends { actor: Actor }>(command: (i: I, rules: (patchId: string) => boolean) => LoanCommand) {
    return {
      validator: (i: I) => {
        if (processed.has(updateId())) return; // answered again with the state, below
        try {
          assertActorPlaced(i.actor);
          // While another step is being recorded the state here is behind: the handler decides in turn.
          if (steps.busy) return;
          loanDecider.decide(
            command(i, () => true),
            state,
          );
        } catch (e) {
          throw toFailure(e);
        }
      },
      handler: (i: I) =>
        steps.run(async () => {
          const id = updateId();
          if (processed.has(id)) return s();
          try {
            if (patched(ACTORS_PLACED)) assertActorPlaced(i.actor);
            await apply([command(i, patched)], i.actor.userId);
          } catch (e) {
            throw toFailure(e);
          }
          if (id) processed.add(id);
          return s();
        }),
    };
  }
  function register<I extends { actor: Actor }>(
    update: UpdateDefinition<LoanState, [I]>,
    command: (i: I, rules: (patchId: string) => boolean) => LoanCommand,
  ): void {
    const h = human(command);
    setHandler(update, h.handler, { validator: h.validator });
  }
  register(recordRepaymentUpdate, (i) => ({ type: 'RecordRepayment', ...i }));
  register(valueInKindUpdate, (i) => ({ type: 'ValueInKind', ...i }));
  register(confirmInKindUpdate, (i) => ({ type: 'ConfirmInKind', ...i }));
  register(rejectInKindUpdate, (i) => ({ type: 'RejectInKind', ...i }));
  register(reverseRepaymentUpdate, (i, rules) => ({ type: 'ReverseRepayment', ...i, ...(rules(SECOND_OFFICIAL_REVERSES) ? { secondOfficial: true } : {}) }));
  register(reportHardshipUpdate, (i) => ({ type: 'ReportHardship', ...i }));
  register(reassignLoanTaskUpdate, (i) => ({ ...i, type: 'ReassignTask' }));
  register(decideHardshipUpdate, (i) => ({ type: 'DecideHardship', ...i, today: today() })); // a write-off closes the loan today
  setHandler(loanQuery, () => state);

  if (!input.carried) {
    const { loanId, schemeId, batchId, fundId, household, terms, termsVersion, disbursementId, paidOn } = input;
    await steps.run(() =>
      apply(
        [
          { type: 'OpenLoan', loanId, schemeId, batchId, fundId, household, terms, termsVersion, disbursementId },
          { type: 'RecordDisbursed', paidOn },
        ],
        'system:loan',
      ),
    );
  }

  for (;;) {
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit) {
      await condition(() => !steps.busy && allHandlersFinished());
      await continueAsNew<typeof revolvingLoan>({ ...input, carried: { state: s(), processedUpdateIds: [...processed] } });
    }
    const version = s().version;
    if (s().status !== 'active') {
      // Closed: stay a while for a reversal (which reopens the loan), then end.
      const closedAt = Date.parse(`${s().closedOn ?? today()}T00:00:00Z`);
      const moved = await condition(() => s().version !== version, Math.max(0, closedAt + LINGER_AFTER_CLOSE_MS - Date.now()));
      if (!moved && s().status !== 'active') break;
      continue;
    }
    const reminder = nextReminder(s(), input.reminderDays, declined);
    const overdue = patched(OVERDUE_ESCALATION) ? nextOverdueEscalation(s(), escalateAfter) : undefined;
    const escalation = overdue && !declinedEscalations.has(overdue.key) ? overdue : undefined;
    const wakeAt = Math.min(reminder?.at ?? Infinity, escalation ? Date.parse(escalation.at) : Infinity);
    const changed = () => s().version !== version;
    const moved = wakeAt !== Infinity ? await condition(changed, Math.max(0, wakeAt - Date.now())) : (await condition(changed), true);
    if (!moved && escalation && Date.parse(escalation.at) <= Date.now()) {
      await steps.run(async () => {
        const before = s().version;
        await apply([{ type: 'EscalateOverdue', key: escalation.key, at: new Date().toISOString(), escalateAfter }], 'system:escalation-timer');
        if (s().version === before) declinedEscalations.add(escalation.key);
      });
    }
    if (!moved && reminder && reminder.at <= Date.now()) {
      await steps.run(async () => {
        try {
          const before = s().version;
          await apply([{ type: 'IssueReminder', instalment: reminder.n, today: today() }], 'system:loan-reminder');
          if (s().version === before) declined.add(reminder.key);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          declined.add(reminder.key); // paid meanwhile, or otherwise no longer to be reminded
        }
      });
    }
  }
  await condition(() => !steps.busy && allHandlersFinished());
  return s();

  function updateId(): string {
    return currentUpdateInfo()?.id ?? '';
  }
}

/**
 * The next instalment still (partly) unpaid and not yet reminded, and when to remind: so many
 * days before its due date (at once if that is past). Repayments cover instalments in order.
 */
export function nextReminder(s: LoanState, reminderDays: number, declined: ReadonlySet<string>): { n: number; at: number; key: string } | undefined {
  let covered = s.repaidFen + s.writtenOffFen;
  for (const i of s.schedule) {
    const paid = covered >= i.amountFen;
    covered = Math.max(0, covered - i.amountFen);
    const key = `${i.n}@${i.dueDate}`;
    if (paid || s.remindersIssued.includes(i.n) || declined.has(key)) continue;
    return { n: i.n, at: Date.parse(`${i.dueDate}T00:00:00Z`) - reminderDays * DAY_MS, key };
  }
  return undefined;
}
