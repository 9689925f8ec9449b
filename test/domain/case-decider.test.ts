import { judgeAppraisal } from '../../src/domain/case/appraisal';
import {
  caseDecider,
  decide,
  fold,
  pendingStep,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type Decision,
  type DecisionStage,
  type Votes,
} from '../../src/domain/case';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors';
import type { Actor } from '../../src/domain/roles';
import {
  COUNTY,
  OTHER_TOWN,
  OTHER_VILLAGE,
  TOWN,
  VILLAGE,
  actor,
  applicant,
  countyOfficial,
  goodVotes,
  submitInput,
  townOfficial,
  villageOfficial,
  villageOfficial2,
} from '../support/fixtures';

// ---- time: every step happens at a distinct, predictable instant ----
const T0 = '2026-01-01T00:00:00.000Z';
const at = (days: number, ms = 0): string => new Date(Date.parse(T0) + days * 86_400_000 + ms).toISOString();

const badVotes: Votes = { representatives: 21, present: 18, for: 5, against: 12, abstain: 1 }; // valid, not recommended
const noQuorum: Votes = { representatives: 21, present: 13, for: 13, against: 0, abstain: 0 }; // 13 < 14 needed

// ---- helpers ----
type DecideCmd = Extract<CaseCommand, { type: 'Decide' }>;

function run(state: CaseState | undefined, command: CaseCommand): { events: CaseEvent[]; state: CaseState } {
  const events = decide(command, state);
  const next = fold(events, state);
  if (!next) throw new Error('fold gave no state');
  return { events, state: next };
}
const apply = (state: CaseState | undefined, command: CaseCommand): CaseState => run(state, command).state;

/** The DomainError code a command is refused with, or undefined when it is accepted. */
function refusal(state: CaseState | undefined, command: CaseCommand): DomainErrorCode | undefined {
  try {
    decide(command, state);
    return undefined;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

const types = (events: CaseEvent[]): string[] => events.map((e) => e.type);

function decideCmd(state: CaseState, stage: DecisionStage, decision: Decision, by: Actor, when: string, extra: Partial<DecideCmd> = {}): DecideCmd {
  const votes = stage === 'village_evaluation' ? (decision === 'approve' ? goodVotes : badVotes) : undefined;
  const reason = decision === 'approve' ? undefined : `${decision} at ${stage}`;
  return { type: 'Decide', stage, decision, reason, votes, householdHash: state.householdHash, actor: by, at: when, ...extra };
}
const endPublicity = (when: string): CaseCommand => ({ type: 'EndPublicity', at: when });
const lodge = (objectionId: string, when: string, grounds = 'the household owns a car'): CaseCommand => ({
  type: 'LodgeObjection',
  objectionId,
  grounds,
  actor: actor(`u-neighbour-${objectionId}`, 'applicant', VILLAGE),
  at: when,
});
const resolve = (objectionId: string, substantiated: boolean, by: Actor, when: string, outcome?: 'reexamine' | 'reject'): CaseCommand => ({
  type: 'ResolveObjection',
  objectionId,
  substantiated,
  finding: substantiated ? 'verified: the car is theirs' : 'no car found',
  outcome,
  actor: by,
  at: when,
});

// ---- states along the happy path ----
function submitted(by: Actor = applicant): CaseState {
  return apply(undefined, { ...submitInput(by), at: T0 });
}
const atVillagePublicity = (): CaseState => {
  const s = submitted();
  return apply(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1)));
};
const atTownAudit = (): CaseState => apply(atVillagePublicity(), endPublicity(at(8)));
const atTownPublicity = (): CaseState => {
  const s = atTownAudit();
  return apply(s, decideCmd(s, 'town_audit', 'approve', townOfficial, at(9)));
};
const atCountyApproval = (): CaseState => apply(atTownPublicity(), endPublicity(at(16)));
const enrolled = (): CaseState => {
  const s = atCountyApproval();
  return apply(s, decideCmd(s, 'county_approval', 'approve', countyOfficial, at(17)));
};
const rejected = (): CaseState => {
  const s = atTownAudit();
  return apply(s, decideCmd(s, 'town_audit', 'reject', townOfficial, at(9)));
};

describe('Submit', () => {
  it('opens the case at village evaluation with a stage time limit', () => {
    const input = submitInput();
    const { events, state } = run(undefined, { ...input, at: T0 });
    expect(types(events)).toEqual(['ApplicationSubmitted', 'StageEntered']);
    expect(state).toMatchObject({
      caseId: input.caseId,
      householdId: input.householdId,
      applicantId: applicant.userId,
      status: 'open',
      stage: 'village_evaluation',
      stageEnteredAt: T0,
      stageDueAt: at(15),
      publicityEnded: false,
      deciders: {},
      objections: [],
      version: 2,
      householdHash: input.householdHash,
      location: { county: COUNTY, town: TOWN, village: VILLAGE },
    });
  });

  it('lets the village official submit on behalf of a household of the village', () => {
    expect(submitted(villageOfficial).applicantId).toBe(`on-behalf:${villageOfficial.userId}`);
  });

  it('refuses applicants of another village and officials who are not the village official', () => {
    expect(refusal(undefined, { ...submitInput(actor('u-x', 'applicant', OTHER_VILLAGE), VILLAGE), at: T0 })).toBe('forbidden');
    expect(refusal(undefined, { ...submitInput(actor('u-v2', 'village_official', OTHER_VILLAGE), VILLAGE), at: T0 })).toBe('forbidden');
    expect(refusal(undefined, { ...submitInput(townOfficial), at: T0 })).toBe('forbidden');
  });

  it('refuses submitting the same case twice', () => {
    expect(refusal(submitted(), { ...submitInput(), at: T0 })).toBe('wrong_stage');
  });

  it('refuses any other command on a case that does not exist', () => {
    expect(refusal(undefined, endPublicity(T0))).toBe('not_found');
  });
});

describe('happy path', () => {
  it('goes Submit → village approve → publicity → town approve → publicity → county approve → enrolled', () => {
    let s = submitted();

    let r = run(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1)));
    expect(types(r.events)).toEqual(['StageDecided', 'StageEntered']);
    expect(r.events[0]).toMatchObject({ data: { stage: 'village_evaluation', decision: 'approve', votes: goodVotes, decidedBy: villageOfficial.userId } });
    s = r.state;
    expect(s).toMatchObject({
      stage: 'village_publicity',
      stageEnteredAt: at(1),
      stageDueAt: at(8),
      deciders: { village_evaluation: [villageOfficial.userId] },
    });

    r = run(s, endPublicity(at(8)));
    expect(types(r.events)).toEqual(['PublicityEnded', 'StageEntered']);
    expect(r.events[0]).toEqual({ type: 'PublicityEnded', data: { stage: 'village_publicity', heldByObjections: 0 } });
    s = r.state;
    expect(s).toMatchObject({ stage: 'town_audit', stageEnteredAt: at(8), stageDueAt: at(23), publicityEnded: false });

    r = run(s, decideCmd(s, 'town_audit', 'approve', townOfficial, at(9)));
    expect(types(r.events)).toEqual(['StageDecided', 'StageEntered']);
    s = r.state;
    expect(s).toMatchObject({ stage: 'town_publicity', stageDueAt: at(16) });

    s = apply(s, endPublicity(at(16)));
    expect(s.stage).toBe('county_approval');

    r = run(s, decideCmd(s, 'county_approval', 'approve', countyOfficial, at(17)));
    expect(types(r.events)).toEqual(['StageDecided', 'CaseAnnounced', 'HouseholdEnrolled']);
    expect(r.events[1]).toEqual({ type: 'CaseAnnounced', data: { announcedAt: at(17) } });
    expect(r.events[2]).toEqual({ type: 'HouseholdEnrolled', data: { householdId: s.householdId } });
    s = r.state;
    expect(s).toMatchObject({
      status: 'enrolled',
      stage: 'enrolled',
      stageDueAt: undefined,
      deciders: { village_evaluation: [villageOfficial.userId], town_audit: [townOfficial.userId], county_approval: [countyOfficial.userId] },
    });
    expect(s.version).toBe(13);
    expect(pendingStep(s)).toBeUndefined();
  });

  it('accepts an approval without a reason', () => {
    const s = atTownAudit();
    expect(refusal(s, decideCmd(s, 'town_audit', 'approve', townOfficial, at(9), { reason: undefined }))).toBeUndefined();
  });
});

describe('rejection', () => {
  it('at village evaluation (votes not recommending) ends the case rejected with the reason', () => {
    const s = submitted();
    const { events, state } = run(s, decideCmd(s, 'village_evaluation', 'reject', villageOfficial, at(1), { reason: 'income above the line' }));
    expect(types(events)).toEqual(['StageDecided', 'CaseRejected']);
    expect(events[1]).toEqual({ type: 'CaseRejected', data: { stage: 'village_evaluation', reason: 'income above the line' } });
    expect(state).toMatchObject({ status: 'rejected', stage: 'rejected', reason: 'income above the line', stageDueAt: undefined });
  });

  it('at town audit ends the case rejected with the reason', () => {
    const s = atTownAudit();
    const { events, state } = run(s, decideCmd(s, 'town_audit', 'reject', townOfficial, at(9), { reason: 'housing is grade A' }));
    expect(events[1]).toEqual({ type: 'CaseRejected', data: { stage: 'town_audit', reason: 'housing is grade A' } });
    expect(state).toMatchObject({ status: 'rejected', stage: 'rejected', reason: 'housing is grade A' });
  });

  it('at county approval ends the case rejected with the reason', () => {
    const s = atCountyApproval();
    const { events, state } = run(s, decideCmd(s, 'county_approval', 'reject', countyOfficial, at(17), { reason: 'already enrolled elsewhere' }));
    expect(types(events)).toEqual(['StageDecided', 'CaseRejected']);
    expect(events[1]).toEqual({ type: 'CaseRejected', data: { stage: 'county_approval', reason: 'already enrolled elsewhere' } });
    expect(state).toMatchObject({ status: 'rejected', stage: 'rejected', reason: 'already enrolled elsewhere' });
    expect(pendingStep(state)).toBeUndefined();
  });

  it.each([undefined, '', '   '])('refuses a reject or return with reason %p as invalid', (reason) => {
    const v = submitted();
    expect(refusal(v, decideCmd(v, 'village_evaluation', 'reject', villageOfficial, at(1), { reason }))).toBe('invalid');
    const t = atTownAudit();
    expect(refusal(t, decideCmd(t, 'town_audit', 'reject', townOfficial, at(9), { reason }))).toBe('invalid');
    expect(refusal(t, decideCmd(t, 'town_audit', 'return', townOfficial, at(9), { reason }))).toBe('invalid');
    const c = atCountyApproval();
    expect(refusal(c, decideCmd(c, 'county_approval', 'reject', countyOfficial, at(17), { reason }))).toBe('invalid');
    expect(refusal(c, decideCmd(c, 'county_approval', 'return', countyOfficial, at(17), { reason }))).toBe('invalid');
  });
});

describe('return', () => {
  it('from town audit goes back to village evaluation and keeps the deciders', () => {
    const s = atTownAudit();
    const { events, state } = run(s, decideCmd(s, 'town_audit', 'return', townOfficial, at(9), { reason: 'income figure unverified' }));
    expect(types(events)).toEqual(['StageDecided', 'CaseReturned', 'StageEntered']);
    expect(events[1]).toEqual({ type: 'CaseReturned', data: { from: 'town_audit', to: 'village_evaluation', reason: 'income figure unverified' } });
    expect(state).toMatchObject({
      status: 'open',
      stage: 'village_evaluation',
      stageEnteredAt: at(9),
      stageDueAt: at(24),
      reason: 'income figure unverified',
      deciders: { village_evaluation: [villageOfficial.userId], town_audit: [townOfficial.userId] },
    });
  });

  it('lets the village re-decide after a town return, and the same town official audit again', () => {
    let s = atTownAudit();
    s = apply(s, decideCmd(s, 'town_audit', 'return', townOfficial, at(9)));
    s = apply(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(10)));
    expect(s.stage).toBe('village_publicity');
    s = apply(s, endPublicity(at(17)));
    s = apply(s, decideCmd(s, 'town_audit', 'approve', townOfficial, at(18)));
    expect(s.stage).toBe('town_publicity');
  });

  it('from county approval goes to town audit', () => {
    const s = atCountyApproval();
    const { events, state } = run(s, decideCmd(s, 'county_approval', 'return', countyOfficial, at(17), { reason: 'members list incomplete' }));
    expect(events[1]).toEqual({ type: 'CaseReturned', data: { from: 'county_approval', to: 'town_audit', reason: 'members list incomplete' } });
    expect(state).toMatchObject({
      status: 'open',
      stage: 'town_audit',
      stageEnteredAt: at(17),
      deciders: { village_evaluation: [villageOfficial.userId], town_audit: [townOfficial.userId], county_approval: [countyOfficial.userId] },
    });
  });

  it('is refused at village evaluation, with or without votes', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'return', villageOfficial, at(1), { reason: 'please redo', votes: goodVotes }))).toBe('invalid');
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'return', villageOfficial, at(1), { reason: 'please redo', votes: undefined }))).toBe('invalid');
  });
});

describe('village appraisal', () => {
  it('without quorum gives AppraisalInvalid and leaves the stage unchanged', () => {
    const s = submitted();
    const { events, state } = run(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1), { votes: noQuorum }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'AppraisalInvalid', data: { votes: noQuorum, decidedBy: villageOfficial.userId } });
    expect((events[0] as Extract<CaseEvent, { type: 'AppraisalInvalid' }>).data.why).toMatch(/quorum/);
    expect(state).toMatchObject({ status: 'open', stage: 'village_evaluation', stageEnteredAt: T0, stageDueAt: s.stageDueAt, deciders: {} });
    expect(state.version).toBe(s.version + 1);
    // the assembly can vote again and the case proceeds
    expect(apply(state, decideCmd(state, 'village_evaluation', 'approve', villageOfficial, at(2))).stage).toBe('village_publicity');
  });

  it('with malformed votes (cast ≠ present) gives AppraisalInvalid too', () => {
    const s = submitted();
    const votes = { ...goodVotes, abstain: 5 };
    expect(types(decide(decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1), { votes }), s))).toEqual(['AppraisalInvalid']);
  });

  it('refuses votes that contradict the decision', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1), { votes: badVotes }))).toBe('invalid');
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'reject', villageOfficial, at(1), { votes: goodVotes }))).toBe('invalid');
  });

  it('refuses a village decision without votes', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1), { votes: undefined }))).toBe('invalid');
  });

  it('refuses votes at town audit and county approval', () => {
    const t = atTownAudit();
    expect(refusal(t, decideCmd(t, 'town_audit', 'approve', townOfficial, at(9), { votes: goodVotes }))).toBe('invalid');
    const c = atCountyApproval();
    expect(refusal(c, decideCmd(c, 'county_approval', 'approve', countyOfficial, at(17), { votes: goodVotes }))).toBe('invalid');
  });
});

describe('who may decide', () => {
  it('refuses a decision for a stage the case is not at', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'town_audit', 'approve', townOfficial, at(1)))).toBe('wrong_stage');
    expect(refusal(s, decideCmd(s, 'county_approval', 'approve', countyOfficial, at(1)))).toBe('wrong_stage');
    const p = atVillagePublicity();
    expect(refusal(p, decideCmd(p, 'village_evaluation', 'approve', villageOfficial, at(2)))).toBe('wrong_stage');
    expect(refusal(p, decideCmd(p, 'town_audit', 'approve', townOfficial, at(2)))).toBe('wrong_stage');
  });

  it('refuses the wrong role', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', townOfficial, at(1)))).toBe('forbidden');
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', applicant, at(1)))).toBe('forbidden');
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', actor('u-sup', 'supervisor', COUNTY), at(1)))).toBe('forbidden');
    const t = atTownAudit();
    expect(refusal(t, decideCmd(t, 'town_audit', 'approve', countyOfficial, at(9)))).toBe('forbidden');
    const c = atCountyApproval();
    expect(refusal(c, decideCmd(c, 'county_approval', 'approve', actor('u-town-9', 'town_official', TOWN), at(17)))).toBe('forbidden');
  });

  it('refuses officials of another jurisdiction', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', actor('u-v-other', 'village_official', OTHER_VILLAGE), at(1)))).toBe('forbidden');
    const t = atTownAudit();
    expect(refusal(t, decideCmd(t, 'town_audit', 'approve', actor('u-t-other', 'town_official', OTHER_TOWN), at(9)))).toBe('forbidden');
    const c = atCountyApproval();
    expect(refusal(c, decideCmd(c, 'county_approval', 'approve', actor('u-c-other', 'county_official', '522702'), at(17)))).toBe('forbidden');
  });

  it('refuses an applicant deciding their own case, even holding an official role', () => {
    const dual = 'u-dual';
    const s = apply(undefined, { ...submitInput(actor(dual, 'applicant', VILLAGE)), at: T0 });
    expect(s.applicantId).toBe(dual);
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', actor(dual, 'village_official', VILLAGE), at(1)))).toBe('forbidden');
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', actor(dual, 'applicant', VILLAGE), at(1)))).toBe('forbidden');
  });

  it('refuses a member of the household deciding its case', () => {
    const s = submitted();
    const member = { ...villageOfficial2, idHash: s.household.members[1].idHash };
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', member, at(1)))).toBe('forbidden');
    // an unrelated idHash is fine
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', { ...villageOfficial2, idHash: 'f'.repeat(64) }, at(1)))).toBeUndefined();
  });

  it('refuses the same user deciding two different stages', () => {
    const s = atTownAudit();
    const sameUserAsTown = actor(villageOfficial.userId, 'town_official', TOWN);
    expect(refusal(s, decideCmd(s, 'town_audit', 'approve', sameUserAsTown, at(9)))).toBe('forbidden');
    const c = atCountyApproval();
    const townAsCounty = actor(townOfficial.userId, 'county_official', COUNTY);
    expect(refusal(c, decideCmd(c, 'county_approval', 'approve', townAsCounty, at(17)))).toBe('forbidden');
  });

  it('lets another official of the same village re-decide a returned village evaluation', () => {
    let s = atTownAudit();
    s = apply(s, decideCmd(s, 'town_audit', 'return', townOfficial, at(9)));
    s = apply(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial2, at(10)));
    expect(s.deciders.village_evaluation).toContain(villageOfficial2.userId);
  });

  it('refuses a decision on a stale household record', () => {
    const s = submitted();
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(1), { householdHash: 'a'.repeat(64) }))).toBe('stale_household');
  });

  it('refuses a decision made on the record as it was before a correction', () => {
    let s = submitted();
    const before = s.householdHash;
    const household = { ...s.household, annualIncomeFen: 300_000 };
    s = apply(s, { type: 'CorrectHousehold', household, householdHash: 'b'.repeat(64), reason: 'income re-surveyed', actor: villageOfficial, at: at(1) });
    expect(s).toMatchObject({ householdHash: 'b'.repeat(64), household: { annualIncomeFen: 300_000 }, stage: 'village_evaluation' });
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(2), { householdHash: before }))).toBe('stale_household');
    expect(refusal(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(2)))).toBeUndefined();
  });
});

describe('CorrectHousehold', () => {
  const correction = (s: CaseState, by: Actor, reason = 'typo'): CaseCommand => ({
    type: 'CorrectHousehold',
    household: s.household,
    householdHash: 'c'.repeat(64),
    reason,
    actor: by,
    at: at(1),
  });
  it('is refused outside village evaluation, to other roles, and without a reason', () => {
    const s = submitted();
    expect(refusal(atTownAudit(), correction(s, villageOfficial))).toBe('wrong_stage');
    expect(refusal(s, correction(s, townOfficial))).toBe('forbidden');
    expect(refusal(s, correction(s, villageOfficial, ' '))).toBe('invalid');
    expect(refusal(s, correction(s, villageOfficial))).toBeUndefined();
  });
});

describe('objections', () => {
  it('lodged during publicity are recorded as open', () => {
    const s = atVillagePublicity();
    const { events, state } = run(s, lodge('o1', at(2)));
    expect(events).toEqual([
      { type: 'ObjectionLodged', data: { objectionId: 'o1', stage: 'village_publicity', grounds: 'the household owns a car', lodgedBy: 'u-neighbour-o1' } },
    ]);
    expect(state.objections).toEqual([{ objectionId: 'o1', stage: 'village_publicity', status: 'open' }]);
    expect(pendingStep(state)).toEqual({ kind: 'objections', stage: 'village_publicity' });
  });

  it('are refused outside a publicity period', () => {
    expect(refusal(submitted(), lodge('o1', at(1)))).toBe('not_in_publicity');
    expect(refusal(atTownAudit(), lodge('o1', at(9)))).toBe('not_in_publicity');
    expect(refusal(atCountyApproval(), lodge('o1', at(17)))).toBe('not_in_publicity');
  });

  it('are refused at or after the due time, accepted just before', () => {
    const s = atVillagePublicity();
    expect(s.stageDueAt).toBe(at(8));
    expect(refusal(s, lodge('o1', at(8)))).toBe('not_in_publicity');
    expect(refusal(s, lodge('o1', at(8, 1)))).toBe('not_in_publicity');
    expect(refusal(s, lodge('o1', at(9)))).toBe('not_in_publicity');
    expect(refusal(s, lodge('o1', at(8, -1)))).toBeUndefined();
  });

  it('are refused once the publicity has ended (held by another objection)', () => {
    let s = apply(atVillagePublicity(), lodge('o1', at(2)));
    s = apply(s, endPublicity(at(8)));
    expect(refusal(s, lodge('o2', at(7)))).toBe('not_in_publicity');
  });

  it('are refused without grounds or with a duplicate id', () => {
    const s = apply(atVillagePublicity(), lodge('o1', at(2)));
    expect(refusal(s, lodge('o2', at(3), '  '))).toBe('invalid');
    expect(refusal(s, lodge('o1', at(3)))).toBe('invalid');
  });

  it('hold the end of publicity; an unsubstantiated resolution then moves to the next stage', () => {
    let s = apply(atVillagePublicity(), lodge('o1', at(2)));
    const ended = run(s, endPublicity(at(8)));
    expect(ended.events).toEqual([{ type: 'PublicityEnded', data: { stage: 'village_publicity', heldByObjections: 1 } }]);
    s = ended.state;
    expect(s).toMatchObject({ stage: 'village_publicity', publicityEnded: true, status: 'open' });
    expect(refusal(s, endPublicity(at(9)))).toBe('wrong_stage');

    const resolved = run(s, resolve('o1', false, townOfficial, at(10)));
    expect(types(resolved.events)).toEqual(['ObjectionResolved', 'StageEntered']);
    expect(resolved.events[0]).toEqual({
      type: 'ObjectionResolved',
      data: { objectionId: 'o1', substantiated: false, finding: 'no car found', outcome: 'proceed', resolvedBy: townOfficial.userId },
    });
    expect(resolved.state).toMatchObject({
      stage: 'town_audit',
      stageEnteredAt: at(10),
      publicityEnded: false,
      objections: [{ objectionId: 'o1', status: 'unsubstantiated' }],
    });
  });

  it('all must be resolved before a held publicity moves on', () => {
    let s = apply(apply(atVillagePublicity(), lodge('o1', at(2))), lodge('o2', at(3)));
    s = apply(s, endPublicity(at(8)));
    const first = run(s, resolve('o1', false, villageOfficial2, at(9)));
    expect(types(first.events)).toEqual(['ObjectionResolved']);
    expect(first.state.stage).toBe('village_publicity');
    const second = run(first.state, resolve('o2', false, villageOfficial2, at(10)));
    expect(types(second.events)).toEqual(['ObjectionResolved', 'StageEntered']);
    expect(second.state.stage).toBe('town_audit');
  });

  it('resolved as unsubstantiated before the period ends leave the case in publicity until it does', () => {
    let s = apply(atVillagePublicity(), lodge('o1', at(2)));
    const r = run(s, resolve('o1', false, villageOfficial2, at(3)));
    expect(types(r.events)).toEqual(['ObjectionResolved']);
    s = r.state;
    expect(s).toMatchObject({ stage: 'village_publicity', publicityEnded: false });
    const ended = run(s, endPublicity(at(8)));
    expect(ended.events[0]).toEqual({ type: 'PublicityEnded', data: { stage: 'village_publicity', heldByObjections: 0 } });
    expect(ended.state.stage).toBe('town_audit');
  });

  it('substantiated with outcome reject rejects the case', () => {
    const s = apply(atTownPublicity(), lodge('o1', at(10)));
    const { events, state } = run(s, resolve('o1', true, countyOfficial, at(11), 'reject'));
    expect(types(events)).toEqual(['ObjectionResolved', 'CaseRejected']);
    expect(events[1]).toEqual({ type: 'CaseRejected', data: { stage: 'town_publicity', reason: 'verified: the car is theirs' } });
    expect(state).toMatchObject({
      status: 'rejected',
      stage: 'rejected',
      reason: 'verified: the car is theirs',
      objections: [{ objectionId: 'o1', status: 'substantiated' }],
    });
  });

  it('substantiated (default reexamine) returns the case and supersedes the other open objections', () => {
    let s = atVillagePublicity();
    s = apply(s, lodge('o1', at(2)));
    s = apply(s, lodge('o2', at(3)));
    const { events, state } = run(s, resolve('o1', true, villageOfficial2, at(4)));
    expect(types(events)).toEqual(['ObjectionResolved', 'CaseReturned', 'StageEntered']);
    expect(events[0]).toMatchObject({ data: { outcome: 'reexamine', substantiated: true } });
    expect(events[1]).toEqual({ type: 'CaseReturned', data: { from: 'village_publicity', to: 'village_evaluation', reason: 'verified: the car is theirs' } });
    expect(state).toMatchObject({ status: 'open', stage: 'village_evaluation', stageEnteredAt: at(4), publicityEnded: false });
    expect(state.objections).toEqual([
      { objectionId: 'o1', stage: 'village_publicity', status: 'substantiated' },
      { objectionId: 'o2', stage: 'village_publicity', status: 'superseded' },
    ]);
    expect(refusal(state, resolve('o2', false, villageOfficial2, at(5)))).toBe('wrong_stage');
  });

  it('substantiated at town publicity returns the case to town audit', () => {
    const s = apply(atTownPublicity(), lodge('o1', at(10)));
    const { events, state } = run(s, resolve('o1', true, townOfficial, at(11), 'reexamine'));
    expect(events[1]).toEqual({ type: 'CaseReturned', data: { from: 'town_publicity', to: 'town_audit', reason: 'verified: the car is theirs' } });
    expect(state.stage).toBe('town_audit');
  });

  it('substantiated after a held publicity returns the case as well', () => {
    let s = apply(atVillagePublicity(), lodge('o1', at(2)));
    s = apply(s, endPublicity(at(8)));
    const state = apply(s, resolve('o1', true, townOfficial, at(9)));
    expect(state).toMatchObject({ stage: 'village_evaluation', publicityEnded: false });
  });

  it('cannot be resolved twice', () => {
    const s = apply(apply(atVillagePublicity(), lodge('o1', at(2))), resolve('o1', false, villageOfficial2, at(3)));
    expect(refusal(s, resolve('o1', false, villageOfficial2, at(4)))).toBe('wrong_stage');
    expect(refusal(s, resolve('o1', true, villageOfficial2, at(4)))).toBe('wrong_stage');
  });

  it('refuses resolving an unknown objection, the wrong resolver, an empty finding, or an outcome for an unsubstantiated one', () => {
    const s = apply(atVillagePublicity(), lodge('o1', at(2)));
    expect(refusal(s, resolve('nope', false, villageOfficial2, at(3)))).toBe('not_found');
    expect(refusal(s, resolve('o1', false, countyOfficial, at(3)))).toBe('forbidden'); // village publicity: village or town
    expect(refusal(s, resolve('o1', false, actor('u-v-other', 'village_official', OTHER_VILLAGE), at(3)))).toBe('forbidden');
    expect(refusal(s, resolve('o1', false, actor(s.applicantId, 'village_official', VILLAGE), at(3)))).toBe('forbidden');
    expect(refusal(s, { type: 'ResolveObjection', objectionId: 'o1', substantiated: true, finding: ' ', actor: villageOfficial2, at: at(3) })).toBe('invalid');
    expect(refusal(s, resolve('o1', false, villageOfficial2, at(3), 'reject'))).toBe('invalid');

    const t = apply(atTownPublicity(), lodge('o1', at(10)));
    expect(refusal(t, resolve('o1', false, villageOfficial2, at(11)))).toBe('forbidden'); // town publicity: town or county
    expect(refusal(t, resolve('o1', false, countyOfficial, at(11)))).toBeUndefined();
  });
});

describe('hardening', () => {
  it('refuses to end a publicity period before it has run its course', () => {
    expect(refusal(atVillagePublicity(), endPublicity(at(7)))).toBe('invalid'); // entered at day 1, due at day 8
  });

  it('remembers every decider across a return: the first town auditor may not then approve at county', () => {
    let s = atTownAudit();
    s = apply(s, decideCmd(s, 'town_audit', 'return', townOfficial, at(9)));
    s = apply(s, decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(10)));
    s = apply(s, endPublicity(at(17)));
    const secondTown = actor('u-town-2', 'town_official', TOWN);
    s = apply(s, decideCmd(s, 'town_audit', 'approve', secondTown, at(18)));
    s = apply(s, endPublicity(at(25)));
    expect(s.deciders.town_audit).toEqual([townOfficial.userId, secondTown.userId]);
    const firstTownAsCounty = actor(townOfficial.userId, 'county_official', COUNTY);
    expect(refusal(s, decideCmd(s, 'county_approval', 'approve', firstTownAsCounty, at(26)))).toBe('forbidden');
  });

  it('judges negative or fractional vote counts invalid', () => {
    expect(judgeAppraisal({ representatives: 3, present: 2, for: 3, against: -1, abstain: 0 }).valid).toBe(false);
    expect(judgeAppraisal({ representatives: 0, present: 0, for: 0, against: 0, abstain: 0 }).valid).toBe(false);
  });
});

describe('EndPublicity', () => {
  it('is refused outside a publicity period', () => {
    expect(refusal(submitted(), endPublicity(at(1)))).toBe('wrong_stage');
    expect(refusal(atTownAudit(), endPublicity(at(9)))).toBe('wrong_stage');
  });
});

describe('a closed case', () => {
  it.each([
    ['enrolled', enrolled],
    ['rejected', rejected],
  ])('refuses every command once %s', (status, make) => {
    const s = make();
    expect(s.status).toBe(status);
    const commands: CaseCommand[] = [
      decideCmd(s, 'county_approval', 'approve', countyOfficial, at(30)),
      decideCmd(s, 'village_evaluation', 'approve', villageOfficial, at(30)),
      { type: 'CorrectHousehold', household: s.household, householdHash: s.householdHash, reason: 'late fix', actor: villageOfficial, at: at(30) },
      lodge('o9', at(30)),
      resolve('o9', false, townOfficial, at(30)),
      endPublicity(at(30)),
    ];
    for (const c of commands) expect(refusal(s, c)).toBe('case_closed');
  });

  it('supersedes objections still open when an objection rejects the case', () => {
    let s = atTownPublicity();
    s = apply(s, lodge('o1', at(10)));
    s = apply(s, lodge('o2', at(11)));
    s = apply(s, resolve('o1', true, townOfficial, at(12), 'reject'));
    expect(s.objections.map((o) => o.status)).toEqual(['substantiated', 'superseded']);
    expect(refusal(s, resolve('o2', false, townOfficial, at(13)))).toBe('case_closed');
  });
});

describe('pendingStep', () => {
  it('names the decision a case waits for, and nothing during an undisputed publicity', () => {
    expect(pendingStep(submitted())).toEqual({ kind: 'decision', stage: 'village_evaluation' });
    expect(pendingStep(atTownAudit())).toEqual({ kind: 'decision', stage: 'town_audit' });
    expect(pendingStep(atVillagePublicity())).toBeUndefined();
  });
});

describe('the case decider in the shape every stream shares', () => {
  it("is the case's own decide and evolve, from no state", () => {
    expect(caseDecider.initialState()).toBeUndefined();
    const command: CaseCommand = { ...submitInput(), at: T0 };
    const events = caseDecider.decide(command, caseDecider.initialState());
    expect(events).toEqual(decide(command, undefined));
    expect(events.reduce<CaseState | undefined>((s, e) => caseDecider.evolve(s, e), undefined)).toEqual(fold(events, undefined));
  });
});
