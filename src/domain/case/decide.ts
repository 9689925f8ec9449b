import { DomainError, assertNever } from '../errors';
import { contains } from '../jurisdiction';
import type { Actor } from '../roles';
import { addDuration } from '../time';
import { judgeAppraisal } from './appraisal';
import { decideEscalation, decideReassign } from './escalation';
import { assertSameMembers, recordMemberTransfer } from './member-transfer-correction';
import { assertNoOpenQuery, raiseQueries, resolveQuery } from './queries';
import {
  DECIDER_ROLE,
  FIRST_STAGE,
  NEXT_STAGE,
  RESOLVER_ROLES,
  RETURN_TO,
  isDecisionStage,
  isPublicityStage,
  type DecisionStage,
  type PublicityStage,
  type Stage,
} from './stages';
import type { CaseCommand, CaseEvent, CasePolicy, CaseState } from './types';

type Cmd<T extends CaseCommand['type']> = Extract<CaseCommand, { type: T }>;

/**
 * Decides what a command means for a case: the events to append, or a DomainError saying
 * why it is refused. Pure and deterministic: time and ids come in with the command.
 */
export function decide(command: CaseCommand, state: CaseState | undefined): CaseEvent[] {
  if (command.type === 'Submit') return submit(command, state);
  if (!state) throw new DomainError('not_found', 'no such case');
  if (state.status !== 'open') throw new DomainError('case_closed', `the case has ended (${state.status})`);
  switch (command.type) {
    case 'Decide':
      return decideStage(command, state);
    case 'CorrectHousehold':
      return correctHousehold(command, state);
    case 'RecordMemberTransfer':
      return recordMemberTransfer(command, state);
    case 'LodgeObjection':
      return lodgeObjection(command, state);
    case 'ResolveObjection':
      return resolveObjection(command, state);
    case 'EndPublicity':
      return endPublicity(command, state);
    case 'Remind':
    case 'Escalate':
      return decideEscalation(command.type, command.at, state);
    case 'ReassignTask':
      return decideReassign(command, state);
    case 'RaiseQueries':
      return raiseQueries(command, state);
    case 'ResolveQuery':
      return resolveQuery(command, state);
    default:
      return assertNever(command);
  }
}

export function enterStage(stage: Stage, at: string, policy: CasePolicy): CaseEvent {
  const limit = isPublicityStage(stage) ? policy.publicityPeriod : policy.stageTimeLimit;
  return { type: 'StageEntered', data: { stage, enteredAt: at, dueAt: addDuration(at, limit) } };
}

/** The events that move a case on from a stage it has passed: the next stage, or its end. */
function advance(from: DecisionStage | PublicityStage, at: string, state: CaseState): CaseEvent[] {
  const next = NEXT_STAGE[from];
  if (next === 'enrolled')
    return [
      { type: 'CaseAnnounced', data: { announcedAt: at } },
      { type: 'HouseholdEnrolled', data: { householdId: state.householdId } },
    ];
  if (next === 'exited')
    return [
      { type: 'CaseAnnounced', data: { announcedAt: at } },
      { type: 'HouseholdExited', data: { householdId: state.householdId } },
    ];
  return [enterStage(next, at, state.policy)];
}

function submit(c: Cmd<'Submit'>, state: CaseState | undefined): CaseEvent[] {
  if (state) throw new DomainError('wrong_stage', 'this case was already submitted');
  if (c.procedure === 'exit') return proposeExit(c);
  const village = c.location.village;
  const mayApply =
    (c.actor.role === 'applicant' && c.actor.jurisdiction === village) || (c.actor.role === 'village_official' && contains(c.actor.jurisdiction, village));
  if (!mayApply) throw new DomainError('forbidden', 'only an applicant of this village or its village official may submit an application here');
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        caseId: c.caseId,
        householdId: c.householdId,
        applicantId: c.applicantId,
        location: c.location,
        household: c.household,
        householdHash: c.householdHash,
        previousCaseId: c.previousCaseId,
        policy: c.policy,
      },
    },
    enterStage('village_evaluation', c.at, c.policy),
  ];
}

/** Role, jurisdiction and conflict-of-interest checks shared by every official act on a case. */
export function assertMayActOnCase(actor: Actor, state: CaseState, roles: readonly string[], what: string): void {
  if (!roles.includes(actor.role)) throw new DomainError('forbidden', `${what} needs the role ${roles.join(' or ')}`);
  if (!contains(actor.jurisdiction, state.location.village)) throw new DomainError('forbidden', `the case is outside your jurisdiction`);
  if (actor.userId === state.applicantId) throw new DomainError('forbidden', 'nobody may act on their own application');
  if (actor.idHash && state.household.members.some((m) => m.idHash === actor.idHash)) {
    throw new DomainError('forbidden', 'nobody may act on a case of a household they belong to');
  }
}

/** Exit ("poverty eliminated") is proposed by the village or town after verification visits. */
function proposeExit(c: Cmd<'Submit'>): CaseEvent[] {
  const mayPropose = ['village_official', 'town_official'].includes(c.actor.role) && contains(c.actor.jurisdiction, c.location.village);
  if (!mayPropose) throw new DomainError('forbidden', 'only the village or town officials of this household may propose its exit');
  if (!c.reason?.trim()) throw new DomainError('invalid', 'an exit needs a reason (the verified income and conditions)');
  return [
    {
      type: 'ExitProposed',
      data: {
        caseId: c.caseId,
        householdId: c.householdId,
        proposedBy: c.actor.userId,
        location: c.location,
        household: c.household,
        householdHash: c.householdHash,
        previousCaseId: c.previousCaseId,
        reason: c.reason,
        policy: c.policy,
      },
    },
    enterStage(FIRST_STAGE.exit, c.at, c.policy),
  ];
}

function decideStage(c: Cmd<'Decide'>, state: CaseState): CaseEvent[] {
  if (state.stage !== c.stage) throw new DomainError('wrong_stage', `the case is at ${state.stage}, not ${c.stage}`);
  assertMayActOnCase(c.actor, state, [DECIDER_ROLE[c.stage]], `deciding ${c.stage}`);
  const other = Object.entries(state.deciders).find(([stage, by]) => stage !== c.stage && (by ?? []).includes(c.actor.userId));
  if (other) throw new DomainError('forbidden', `you decided ${other[0]} of this case; another official must decide ${c.stage}`);
  if (c.householdHash !== state.householdHash) {
    throw new DomainError('stale_household', 'the household record changed since you read it; re-read the case and decide again');
  }
  if (c.decision !== 'approve' && !c.reason?.trim()) throw new DomainError('invalid', `a ${c.decision} needs a reason`);
  const decided: CaseEvent = {
    type: 'StageDecided',
    data: {
      stage: c.stage,
      decision: c.decision,
      reason: c.reason,
      votes: c.votes,
      householdHash: c.householdHash,
      decidedBy: c.actor.userId,
    },
  };

  if (c.stage === 'village_evaluation') {
    if (c.decision === 'return') throw new DomainError('invalid', 'village evaluation can approve or reject, not return');
    if (!c.votes) throw new DomainError('invalid', "village evaluation records the representatives' votes");
    const verdict = judgeAppraisal(c.votes);
    if (!verdict.valid) return [{ type: 'AppraisalInvalid', data: { votes: c.votes, why: verdict.why, decidedBy: c.actor.userId } }];
    if (verdict.recommended !== (c.decision === 'approve')) {
      throw new DomainError('invalid', `the votes (${verdict.why}) do not support a decision to ${c.decision}`);
    }
  } else if (c.votes) {
    throw new DomainError('invalid', 'votes are recorded only at village evaluation');
  }

  switch (c.decision) {
    case 'approve':
      assertNoOpenQuery(c.stage, state);
      return [decided, ...advance(c.stage, c.at, state)];
    case 'reject':
      return [decided, { type: 'CaseRejected', data: { stage: c.stage, reason: c.reason ?? '' } }];
    case 'return': {
      const to = RETURN_TO[c.stage];
      if (!to) throw new DomainError('invalid', `${c.stage} cannot return a case`);
      return [decided, { type: 'CaseReturned', data: { from: c.stage, to, reason: c.reason ?? '' } }, enterStage(to, c.at, state.policy)];
    }
    default:
      return assertNever(c.decision);
  }
}

function correctHousehold(c: Cmd<'CorrectHousehold'>, state: CaseState): CaseEvent[] {
  if (state.stage !== 'village_evaluation') throw new DomainError('wrong_stage', 'the household record is corrected at village evaluation');
  assertMayActOnCase(c.actor, state, ['village_official'], 'correcting a household');
  if (!c.reason.trim()) throw new DomainError('invalid', 'a correction needs a reason');
  if (!c.membersUnchecked) assertSameMembers(c.household.members, state);
  return [{ type: 'HouseholdCorrected', data: { household: c.household, householdHash: c.householdHash, reason: c.reason } }];
}

function lodgeObjection(c: Cmd<'LodgeObjection'>, state: CaseState): CaseEvent[] {
  const open = isPublicityStage(state.stage) && !state.publicityEnded && state.stageDueAt !== undefined && Date.parse(c.at) < Date.parse(state.stageDueAt);
  if (!open || !isPublicityStage(state.stage))
    throw new DomainError('not_in_publicity', 'objections can be lodged only while the case is in a publicity period');
  if (!c.grounds.trim()) throw new DomainError('invalid', 'an objection needs grounds');
  if (state.objections.some((o) => o.objectionId === c.objectionId)) throw new DomainError('invalid', 'that objection was already lodged');
  return [{ type: 'ObjectionLodged', data: { objectionId: c.objectionId, stage: state.stage, grounds: c.grounds, lodgedBy: c.actor.userId } }];
}

function resolveObjection(c: Cmd<'ResolveObjection'>, state: CaseState): CaseEvent[] {
  const objection = state.objections.find((o) => o.objectionId === c.objectionId);
  if (!objection) throw new DomainError('not_found', 'no such objection on this case');
  if (objection.status !== 'open') throw new DomainError('wrong_stage', `the objection is already ${objection.status}`);
  assertMayActOnCase(c.actor, state, RESOLVER_ROLES[objection.stage], 'resolving an objection');
  if (!c.finding.trim()) throw new DomainError('invalid', 'a resolution needs a finding');
  const outcome = c.substantiated ? (c.outcome ?? 'reexamine') : 'proceed';
  if (!c.substantiated && c.outcome) throw new DomainError('invalid', 'an unsubstantiated objection has no outcome: the case proceeds');
  const resolved: CaseEvent = {
    type: 'ObjectionResolved',
    data: { objectionId: c.objectionId, substantiated: c.substantiated, finding: c.finding, outcome, resolvedBy: c.actor.userId },
  };
  if (outcome === 'reject') return [resolved, { type: 'CaseRejected', data: { stage: state.stage, reason: c.finding } }];
  if (outcome === 'reexamine') {
    const to = RETURN_TO[objection.stage] as NonNullable<(typeof RETURN_TO)[Stage]>;
    return [resolved, { type: 'CaseReturned', data: { from: state.stage, to, reason: c.finding } }, enterStage(to, c.at, state.policy)];
  }
  const stillOpen = state.objections.filter((o) => o.status === 'open' && o.objectionId !== c.objectionId).length;
  if (state.publicityEnded && stillOpen === 0 && isPublicityStage(state.stage)) return [resolved, ...advance(state.stage, c.at, state)];
  return [resolved];
}

function endPublicity(c: Cmd<'EndPublicity'>, state: CaseState): CaseEvent[] {
  if (!isPublicityStage(state.stage) || state.publicityEnded) throw new DomainError('wrong_stage', 'no publicity period is running');
  if (state.stageDueAt && Date.parse(c.at) < Date.parse(state.stageDueAt)) throw new DomainError('invalid', 'the publicity period has not run its course');
  const held = state.objections.filter((o) => o.status === 'open' && o.stage === state.stage).length;
  const ended: CaseEvent = { type: 'PublicityEnded', data: { stage: state.stage, heldByObjections: held } };
  return held > 0 ? [ended] : [ended, ...advance(state.stage, c.at, state)];
}

/** The human step the case waits for, if any (a decision stage, or objections to resolve). */
export function pendingStep(state: CaseState): { kind: 'decision'; stage: Stage } | { kind: 'objections'; stage: Stage } | undefined {
  if (state.status !== 'open') return undefined;
  if (isDecisionStage(state.stage)) return { kind: 'decision', stage: state.stage };
  if (state.objections.some((o) => o.status === 'open')) return { kind: 'objections', stage: state.stage };
  return undefined;
}
