import { assertNever } from '../errors';
import type { CaseEvent, CaseState } from './types';

/** Folds one event into the state. Pure; the only way state changes. */
export function evolve(state: CaseState | undefined, event: CaseEvent): CaseState {
  if (event.type === 'ApplicationSubmitted' || event.type === 'ExitProposed') {
    const d = event.data;
    const exit = event.type === 'ExitProposed';
    return {
      caseId: d.caseId,
      procedure: exit ? 'exit' : 'entry',
      householdId: d.householdId,
      applicantId: exit ? event.data.proposedBy : event.data.applicantId,
      location: d.location,
      household: d.household,
      householdHash: d.householdHash,
      policy: d.policy,
      previousCaseId: d.previousCaseId,
      status: 'open',
      stage: exit ? 'exit_verification' : 'village_evaluation',
      stageEnteredAt: '',
      publicityEnded: false,
      deciders: {},
      objections: [],
      version: 1,
    };
  }
  if (!state) throw new Error(`${event.type} before the case was opened`);
  const s: CaseState = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'StageEntered':
      return {
        ...s,
        stage: event.data.stage,
        stageEnteredAt: event.data.enteredAt,
        stageDueAt: event.data.dueAt,
        publicityEnded: false,
        escalation: undefined,
      };
    case 'StageDecided':
      // Every decider of every round is kept: a return does not wash out who decided before.
      return { ...s, deciders: { ...s.deciders, [event.data.stage]: [...new Set([...(s.deciders[event.data.stage] ?? []), event.data.decidedBy])] } };
    case 'AppraisalInvalid':
      return s;
    case 'HouseholdCorrected':
      return { ...s, household: event.data.household, householdHash: event.data.householdHash };
    case 'ObjectionLodged':
      return { ...s, objections: [...s.objections, { objectionId: event.data.objectionId, stage: event.data.stage, status: 'open' }] };
    case 'ObjectionResolved':
      return {
        ...s,
        objections: s.objections.map((o) =>
          o.objectionId === event.data.objectionId ? { ...o, status: event.data.substantiated ? 'substantiated' : 'unsubstantiated' } : o,
        ),
      };
    case 'PublicityEnded':
      return { ...s, publicityEnded: true };
    case 'CaseReturned':
      // Objections still open against the list the case leaves are moot: it will be published again.
      return { ...s, reason: event.data.reason, objections: s.objections.map((o) => (o.status === 'open' ? { ...o, status: 'superseded' } : o)) };
    case 'CaseAnnounced':
      return s;
    case 'HouseholdEnrolled':
      return { ...s, status: 'enrolled', stage: 'enrolled', stageDueAt: undefined };
    case 'HouseholdExited':
      return { ...s, status: 'exited', stage: 'exited', stageDueAt: undefined };
    case 'CaseRejected':
      return {
        ...s,
        status: 'rejected',
        stage: 'rejected',
        stageDueAt: undefined,
        reason: event.data.reason,
        objections: s.objections.map((o) => (o.status === 'open' ? { ...o, status: 'superseded' } : o)),
      };
    case 'ReminderSent':
      return { ...s, escalation: { reminded: true } };
    case 'StepEscalated':
      return { ...s, escalation: { reminded: true, level: event.data.level } };
    case 'TaskReassigned':
      return s;
    case 'ComparisonQueryRaised':
      return { ...s, queries: [...(s.queries ?? []), { ...event.data, raisedAtVersion: s.version, status: 'open' }] };
    case 'ComparisonQueryResolved':
      return {
        ...s,
        queries: (s.queries ?? []).map((q) => (q.queryId === event.data.queryId ? { ...q, status: event.data.outcome, reason: event.data.reason } : q)),
      };
    default:
      return assertNever(event);
  }
}

export function fold(events: CaseEvent[], initial?: CaseState): CaseState | undefined {
  return events.reduce<CaseState | undefined>(evolve, initial);
}
