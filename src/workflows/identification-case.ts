/**
 * One household's identification case, from application to enrolment or rejection
 * (DOMAIN.md: "household application, village evaluation, town audit", "two publicity and
 * one announcement"). Orchestration only: the rules are the domain's decider; every change
 * is appended to the event store by an activity before the state here moves.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, RecordCaseEventsInput } from '../activities/case-activities';
import type { ComparisonActivities } from '../activities/comparison-activities';
import {
  decide,
  escalationDueIn,
  fold,
  isPublicityStage,
  nextEscalationStep,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type ComparisonHit,
} from '../domain/case';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/roles';
import { ACTORS_PLACED, assertActorPlaced } from './actors-placed';
import { CaseStage, CaseStatus, County, Town, Village } from './search-attributes';
import { serialQueue } from './serial';

type WithoutTime<C> = C extends { at: string } ? Omit<C, 'at'> : never;
export type SubmitInput = WithoutTime<Extract<CaseCommand, { type: 'Submit' }>>;
export type DecideInput = WithoutTime<Extract<CaseCommand, { type: 'Decide' }>>;
export type CorrectHouseholdInput = Omit<WithoutTime<Extract<CaseCommand, { type: 'CorrectHousehold' }>>, 'membersUnchecked'>;
export type RecordMemberTransferInput = WithoutTime<Extract<CaseCommand, { type: 'RecordMemberTransfer' }>>;
export type LodgeObjectionInput = WithoutTime<Extract<CaseCommand, { type: 'LodgeObjection' }>>;
export type ResolveObjectionInput = WithoutTime<Extract<CaseCommand, { type: 'ResolveObjection' }>>;
export type ReassignTaskInput = WithoutTime<Extract<CaseCommand, { type: 'ReassignTask' }>>;
export type ResolveQueryInput = WithoutTime<Extract<CaseCommand, { type: 'ResolveQuery' }>>;

export interface IdentificationCaseInput {
  submit: SubmitInput;
  /** False on servers without a visibility store for custom search attributes (the time-skipping test server). */
  searchAttributes: boolean;
}

export const caseStateQuery = defineQuery<CaseState | undefined>('caseState');
/** Resolves once the application is recorded; lets the API answer POST /applications with the case. */
export const submittedUpdate = defineUpdate<CaseState>('submitted');
export const decideUpdate = defineUpdate<CaseState, [DecideInput]>('decide');
export const correctHouseholdUpdate = defineUpdate<CaseState, [CorrectHouseholdInput]>('correctHousehold');
/** A member transfer recorded on the household's stream, brought into its open case (its household and householdHash). */
export const recordMemberTransferUpdate = defineUpdate<CaseState, [RecordMemberTransferInput]>('recordMemberTransfer');
export const lodgeObjectionUpdate = defineUpdate<CaseState, [LodgeObjectionInput]>('lodgeObjection');
export const resolveObjectionUpdate = defineUpdate<CaseState, [ResolveObjectionInput]>('resolveObjection');
/** Issue #13: a supervisor gives the case's open task to another official (recorded on the case). */
export const reassignTaskUpdate = defineUpdate<CaseState, [ReassignTaskInput]>('reassignTask');
/** The town settles a comparison query (疑点) with a reason. */
export const resolveQueryUpdate = defineUpdate<CaseState, [ResolveQueryInput]>('resolveQuery');
/** A reference list that arrived hits members of this household: raise a query for each new hit. */
export const raiseQueriesSignal = defineSignal<[ComparisonHit[]]>('raiseQueries');

/**
 * Workflows started before `RECORD_STEP_LOCALLY` record each step with this ordinary activity
 * (and republish every search attribute after it); their histories must keep replaying.
 */
const { recordCaseEvents: recordByActivity } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  // The store is the system of record: keep trying through outages (with backoff), but a
  // version conflict means someone wrote behind the workflow's back, which retrying won't fix.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['ConcurrencyError', 'IdempotencyConflictError'] },
});

/**
 * Issue #11: a step is recorded by a local activity, run by the worker inside the workflow task
 * that decided it, so a decision's Update is answered in that one task (no activity task, no
 * second workflow task). Run again after a lost task (the worker died before completing it), it
 * finds the step already stored and returns it as stored (see recordCaseStep).
 */
const { recordCaseStep } = proxyLocalActivities<CaseActivities>({
  // An append takes milliseconds; one that hangs this long is abandoned and tried again (a
  // twin that commits late is found by its keys). The workflow task is kept alive meanwhile.
  startToCloseTimeout: '10 seconds',
  // Short waits between attempts are spent in the worker; from this long on, the SDK waits on
  // a durable timer instead, so a long store outage neither holds a workflow task open nor
  // fills the history with task heartbeats (one timer a minute, at the 1-minute backoff cap).
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    // InvalidData: the database refused the data itself (activities/data-errors.ts).
    nonRetryableErrorTypes: ['ConcurrencyError', 'IdempotencyConflictError', 'InvalidData'],
  },
});

/** The reference lists a case reaching town audit is compared against (a read, in the step that entered it). */
const { caseComparisonHits } = proxyLocalActivities<ComparisonActivities>({
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Patch id: steps recorded by a local activity, and search attributes upserted only when they change. */
export const RECORD_STEP_LOCALLY = 'record-case-step-locally';
/** Patch id (issue #13): durable timers remind and escalate a decision past its limit. */
export const ESCALATION_TIMERS = 'escalation-timers';
/** Patch id: a case entering town audit is compared against the county's reference lists first. */
export const COMPARISON_QUERIES = 'comparison-queries';
/** Patch id: a household correction keeps its members (they move only by a member transfer, which claims them). */
export const CORRECTION_KEEPS_MEMBERS = 'correction-keeps-members';

function toFailure(e: unknown): unknown {
  return e instanceof DomainError ? ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true }) : e;
}

export async function identificationCase(input: IdentificationCaseInput): Promise<CaseState> {
  let state: CaseState | undefined;
  const steps = serialQueue(); // one command at a time: updates, and the timer's own steps, interleave at awaits
  const now = () => new Date().toISOString();
  const published: Partial<Record<SearchAttributeName, string>> = {}; // what visibility holds for this case

  /**
   * Records a step's events and returns them as the store holds them. Both paths append the
   * same events with the same keys; the local one may return an earlier attempt's (its times).
   */
  async function record(step: RecordCaseEventsInput): Promise<{ events: CaseEvent[]; locally: boolean }> {
    if (!patched(RECORD_STEP_LOCALLY)) {
      await recordByActivity(step);
      return { events: step.events, locally: false };
    }
    const recorded = await recordCaseStep(step);
    return { events: recorded.events ?? step.events, locally: true };
  }

  function publish(s: CaseState, onlyChanges: boolean): void {
    const next = searchAttributesOf(s);
    const changed = (Object.keys(next) as SearchAttributeName[]).filter((k) => !onlyChanges || published[k] !== next[k]);
    if (changed.length === 0) return;
    upsertSearchAttributes(changed.map((k) => ({ key: SEARCH_ATTRIBUTE_KEYS[k], value: next[k] })));
    for (const k of changed) published[k] = next[k];
  }

  function apply(command: CaseCommand, actor: string): Promise<CaseState> {
    return steps.run(async () => {
      try {
        let events = decide(command, state); // re-decided in turn: the state may have moved since validation
        // A transfer the case already holds (its Update sent again) records nothing.
        if (events.length === 0 && command.type === 'RecordMemberTransfer') return state as CaseState;
        // A case reaching town audit is compared against its county's reference lists, and its
        // queries recorded with the step: no reader sees it at town audit without them.
        if (events.some(entersTownAudit) && patched(COMPARISON_QUERIES)) events = [...events, ...(await queriesAtTownAudit(fold(events, state) as CaseState))];
        const recorded = await record({ caseId: input.submit.caseId, expectedVersion: state?.version ?? 0, events, actor, cause: workflowInfo().workflowId });
        state = fold(recorded.events, state);
        // Each upsert is a command: before the patch every step upserted all five, after it only what moved.
        if (input.searchAttributes) publish(state as CaseState, recorded.locally);
        return state as CaseState;
      } catch (e) {
        throw toFailure(e);
      }
    });
  }

  function placed(actor: Actor): void {
    try {
      assertActorPlaced(actor);
    } catch (e) {
      throw toFailure(e);
    }
  }

  async function queriesAtTownAudit(s: CaseState): Promise<CaseEvent[]> {
    const hits = await caseComparisonHits({ caseId: s.caseId, county: s.location.county, memberIdHashes: s.household.members.map((m) => m.idHash) });
    return decide({ type: 'RaiseQueries', hits, at: now() }, s);
  }

  /** Records the queries of new hits (none: nothing recorded). Called under the step lock. */
  async function raise(hits: ComparisonHit[]): Promise<void> {
    const events = decide({ type: 'RaiseQueries', hits, at: now() }, state);
    if (events.length === 0) return;
    const recorded = await record({
      caseId: input.submit.caseId,
      expectedVersion: (state as CaseState).version,
      events,
      actor: 'system:comparison',
      cause: workflowInfo().workflowId,
    });
    state = fold(recorded.events, state);
  }

  /** Updates are validated before they are accepted, so a refused step leaves no trace in history. */
  function human<I extends { actor: Actor }>(
    type: 'Decide' | 'CorrectHousehold' | 'RecordMemberTransfer' | 'LodgeObjection' | 'ResolveObjection' | 'ReassignTask' | 'ResolveQuery',
  ) {
    const command = (i: I) => ({ ...i, type, at: now() }) as unknown as CaseCommand;
    return {
      handler: async (i: I) => {
        if (patched(ACTORS_PLACED)) placed(i.actor);
        const legacy = type === 'CorrectHousehold' && !patched(CORRECTION_KEEPS_MEMBERS);
        return apply(legacy ? ({ ...command(i), membersUnchecked: true } as CaseCommand) : command(i), i.actor.userId);
      },
      validator: (i: I) => {
        placed(i.actor);
        // While an earlier step is being recorded, the store (and so every reader) is already
        // past the state held here; judging now would refuse a step that is valid once that
        // lands. Accept, and let the handler decide under the lock.
        if (steps.busy) return;
        try {
          decide(command(i), state);
        } catch (e) {
          throw toFailure(e);
        }
      },
    };
  }
  const decideStep = human<DecideInput>('Decide');
  setHandler(decideUpdate, decideStep.handler, { validator: decideStep.validator });
  const correctStep = human<CorrectHouseholdInput>('CorrectHousehold');
  setHandler(correctHouseholdUpdate, correctStep.handler, { validator: correctStep.validator });
  const transferStep = human<RecordMemberTransferInput>('RecordMemberTransfer');
  setHandler(recordMemberTransferUpdate, transferStep.handler, { validator: transferStep.validator });
  const lodgeStep = human<LodgeObjectionInput>('LodgeObjection');
  setHandler(lodgeObjectionUpdate, lodgeStep.handler, { validator: lodgeStep.validator });
  const resolveStep = human<ResolveObjectionInput>('ResolveObjection');
  setHandler(resolveObjectionUpdate, resolveStep.handler, { validator: resolveStep.validator });
  const reassignStep = human<ReassignTaskInput>('ReassignTask');
  setHandler(reassignTaskUpdate, reassignStep.handler, { validator: reassignStep.validator });
  const resolveQueryStep = human<ResolveQueryInput>('ResolveQuery');
  setHandler(resolveQueryUpdate, resolveQueryStep.handler, { validator: resolveQueryStep.validator });
  setHandler(raiseQueriesSignal, (hits) =>
    steps.run(async () => {
      try {
        if (state?.status === 'open') await raise(hits);
      } catch (e) {
        // A signal has no one to answer: a hit that cannot be recorded now is raised again when
        // the case reaches town audit, rather than failing the case.
        if (!(e instanceof DomainError) && !(e instanceof ActivityFailure)) throw e;
      }
    }),
  );
  setHandler(caseStateQuery, () => state);
  setHandler(submittedUpdate, async () => {
    await condition(() => state !== undefined);
    return state as CaseState;
  });

  await apply({ ...input.submit, at: now() }, input.submit.actor.userId);

  while ((state as CaseState).status === 'open') {
    const s = state as CaseState;
    if (isPublicityStage(s.stage) && !s.publicityEnded && s.stageDueAt) {
      // The publicity period is a durable timer; it ends early only if an objection sends the case back.
      const stage = s.stage;
      const moved = await condition(() => (state as CaseState).stage !== stage, Math.max(0, Date.parse(s.stageDueAt) - Date.now()));
      if (!moved) {
        try {
          await apply({ type: 'EndPublicity', at: now() }, 'system:publicity-timer');
        } catch (e) {
          if (!(e instanceof ApplicationFailure)) throw e; // a resolution moved the case while the timer fired
        }
      }
    } else {
      // A human step (or objections holding an ended publicity): wait for the next event. Since
      // issue #13 a decision past its limit is reminded, then escalated, each at its time.
      const version = s.version;
      const dueIn = patched(ESCALATION_TIMERS) ? escalationDueIn(s, Date.now()) : undefined;
      if (dueIn === undefined) {
        await condition(() => (state as CaseState).version !== version);
      } else if (!(await condition(() => (state as CaseState).version !== version, dueIn))) {
        const next = nextEscalationStep(s);
        // Nothing to record if the step moved meanwhile (the decider returns no events then).
        if (next && decide({ type: next.step, at: now() }, s).length > 0) {
          try {
            await apply({ type: next.step, at: now() }, 'system:escalation-timer');
          } catch (e) {
            if (!(e instanceof ApplicationFailure)) throw e; // the case moved on (or ended) as the timer fired
          }
        }
      }
    }
  }
  await condition(allHandlersFinished); // let the last update handler answer before completing
  return state as CaseState;
}

const entersTownAudit = (e: CaseEvent) => e.type === 'StageEntered' && e.data.stage === 'town_audit';

const SEARCH_ATTRIBUTE_KEYS = { CaseStage, CaseStatus, Village, Town, County } as const;
type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTE_KEYS;

/** In the order the unpatched path always upserted them (its recorded commands depend on it). */
function searchAttributesOf(s: CaseState): Record<SearchAttributeName, string> {
  return { CaseStage: s.stage, CaseStatus: s.status, Village: s.location.village, Town: s.location.town, County: s.location.county };
}
