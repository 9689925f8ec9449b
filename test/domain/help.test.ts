import { decide, fold, nextEscalationStep, type CaseState } from '../../src/domain/case';
import { DomainError } from '../../src/domain/errors';
import { decideHelpPlan, evolveHelpPlan, helpPlanDecider, type HelpPlanState, type PlanContent } from '../../src/domain/help/help-plan';
import { decidePairing, evolvePairing, pairingDecider, type PairingCommand, type PairingState } from '../../src/domain/help/pairing';
import { decideReview, evolveReview } from '../../src/domain/help/review';
import { goodVotes, submitInput, villageOfficial } from '../support/fixtures';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
  return 'no refusal';
};

describe('pairing rules (pure)', () => {
  const at = '2026-06-01T00:00:00.000Z';
  const pair = (over: Partial<Extract<PairingCommand, { type: 'Pair' }>> = {}): PairingCommand => ({
    type: 'Pair',
    pairingId: 'pair-1',
    householdId: 'hh-1',
    village: '522701101201',
    helperId: 'helper-li',
    householdEnrolled: true,
    separation: { helperIdHash: 'h-helper', relatedIdHashes: ['h-cousin'], memberIdHashes: ['h-a', 'h-b'] },
    by: 'town-heping',
    at,
    ...over,
  });
  const paired = (): PairingState => decidePairing(pair(), pairingDecider.initialState()).reduce(evolvePairing, pairingDecider.initialState());

  it('refuses the own household, a related one, one not enrolled, and a second helper', () => {
    const s = pairingDecider.initialState();
    expect(refusal(() => decidePairing(pair({ separation: { helperIdHash: 'h-a', relatedIdHashes: [], memberIdHashes: ['h-a'] } }), s))).toBe('forbidden');
    expect(refusal(() => decidePairing(pair({ separation: { relatedIdHashes: ['h-b'], memberIdHashes: ['h-a', 'h-b'] } }), s))).toBe('forbidden');
    expect(refusal(() => decidePairing(pair({ householdEnrolled: false }), s))).toBe('conflict');
    expect(refusal(() => decidePairing(pair({ pairingId: 'pair-2', helperId: 'helper-zhao' }), paired()))).toBe('conflict');
    expect(decidePairing(pair(), paired())).toEqual([]); // the same pairing again
  });

  it('takes visits from the helper only, not in the future nor before the pairing, and restores a lost contact', () => {
    const visit = (over: Partial<Extract<PairingCommand, { type: 'RecordVisit' }>> = {}): PairingCommand => ({
      type: 'RecordVisit',
      visitId: 'v-1',
      helperId: 'helper-li',
      kind: 'funeral',
      visitedAt: '2026-07-01T00:00:00.000Z',
      notes: '',
      at: '2026-07-02T00:00:00.000Z',
      ...over,
    });
    expect(refusal(() => decidePairing(visit({ helperId: 'helper-zhao' }), paired()))).toBe('forbidden');
    expect(refusal(() => decidePairing(visit({ visitedAt: '2026-07-03T00:00:00.000Z' }), paired()))).toBe('invalid');
    expect(refusal(() => decidePairing(visit({ visitedAt: '2026-05-01T00:00:00.000Z' }), paired()))).toBe('invalid');
    expect(refusal(() => decidePairing(visit(), pairingDecider.initialState()))).toBe('conflict');

    const lose = (atIso: string): PairingCommand => ({ type: 'LoseContact', pairingId: 'pair-1', window: 'P90D', windowMs: 90 * 86_400_000, at: atIso });
    expect(decidePairing(lose('2026-08-29T00:00:00.000Z'), paired())).toEqual([]); // day 89
    const lostEvents = decidePairing(lose('2026-08-31T00:00:00.000Z'), paired());
    expect(lostEvents.map((e) => e.type)).toEqual(['ContactLost']);
    const lost = lostEvents.reduce(evolvePairing, paired());
    expect(decidePairing(lose('2026-09-30T00:00:00.000Z'), lost)).toEqual([]); // lost once until a visit
    const back = decidePairing(visit({ visitedAt: '2026-09-01T00:00:00.000Z', at: '2026-09-01T01:00:00.000Z' }), lost);
    expect(back.map((e) => e.type)).toEqual(['VisitRecorded', 'ContactRestored']);
    expect(back.reduce(evolvePairing, lost)).toMatchObject({ lostContact: false, lastContactAt: '2026-09-01T00:00:00.000Z' });
  });
});

describe('help plan rules (pure)', () => {
  const content: PlanContent = {
    survey: { familySituation: 'x', cause: 'illness', routeOut: 'y', expectedEffect: 'z' },
    measures: [{ kind: 'training', description: 'course', moneyFen: 20_000 }],
    fundIds: [],
    helpingUnit: { name: 'unit', inChargeUserId: 'helper-li' },
  };
  const drafted = (): HelpPlanState =>
    decideHelpPlan(
      { type: 'Draft', householdId: 'hh-1', village: '522701101201', content, planHash: 'h1', by: 'helper-li' },
      helpPlanDecider.initialState(),
    ).reduce(evolveHelpPlan, helpPlanDecider.initialState());
  const town = { userId: 'town-heping', role: 'town_official' as const, jurisdiction: '522701101' };

  it('signs only for a party one may act for, on the current hash, one party per person', () => {
    expect(refusal(() => decideHelpPlan({ type: 'Sign', party: 'town', planHash: 'h0', signer: town }, drafted()))).toBe('stale_plan');
    expect(refusal(() => decideHelpPlan({ type: 'Sign', party: 'village', planHash: 'h1', signer: town }, drafted()))).toBe('forbidden');
    expect(refusal(() => decideHelpPlan({ type: 'Sign', party: 'town', planHash: 'h1', signer: { ...town, jurisdiction: '522701102' } }, drafted()))).toBe(
      'forbidden',
    );
    expect(refusal(() => decideHelpPlan({ type: 'Sign', party: 'town', planHash: 'h1', signer: town }, helpPlanDecider.initialState()))).toBe('not_found');
    const oneSigned = decideHelpPlan({ type: 'Sign', party: 'town', planHash: 'h1', signer: town }, drafted()).reduce(evolveHelpPlan, drafted());
    expect(decideHelpPlan({ type: 'Sign', party: 'town', planHash: 'h1', signer: town }, oneSigned)).toEqual([]); // a retry
    // The unit's person in charge who is also… the town signer: refused for the second party.
    const sameMan = { ...oneSigned, content: { ...content, helpingUnit: { name: 'unit', inChargeUserId: 'town-heping' } } };
    expect(refusal(() => decideHelpPlan({ type: 'Sign', party: 'unit', planHash: 'h1', signer: town }, sameMan))).toBe('forbidden');
    // The same content again changes nothing and keeps the signature.
    expect(decideHelpPlan({ type: 'Draft', householdId: 'hh-1', village: '522701101201', content, planHash: 'h1', by: 'x' }, oneSigned)).toEqual([]);
    const changed = decideHelpPlan({ type: 'Draft', householdId: 'hh-1', village: '522701101201', content, planHash: 'h2', by: 'x' }, oneSigned);
    expect(changed.map((e) => e.type)).toEqual(['SignaturesVoided', 'PlanDrafted']);
    expect(changed.reduce(evolveHelpPlan, oneSigned)).toMatchObject({ planVersion: 2, signatures: [], effective: false });
  });
});

describe('escalation and review rules (pure)', () => {
  it('reminds at the limit, escalates only after the default interval (a policy without one), and starts over when the stage moves', () => {
    const submit = submitInput(villageOfficial);
    let s = fold(decide({ ...submit, at: '2026-01-01T00:00:00.000Z' }, undefined)) as CaseState;
    expect(nextEscalationStep(s)).toEqual({ step: 'Remind', at: '2026-01-16T00:00:00.000Z' });
    expect(decide({ type: 'Escalate', at: '2026-03-01T00:00:00.000Z' }, s)).toEqual([]); // not reminded yet
    s = fold(decide({ type: 'Remind', at: '2026-01-16T00:00:00.000Z' }, s), s) as CaseState;
    expect(nextEscalationStep(s)).toEqual({ step: 'Escalate', at: '2026-01-19T00:00:00.000Z' });
    expect(decide({ type: 'Escalate', at: '2026-01-18T23:59:59.000Z' }, s)).toEqual([]); // early
    // Decided: the stage moves on and so does the escalation.
    s = fold(
      decide(
        {
          type: 'Decide',
          stage: 'village_evaluation',
          decision: 'approve',
          votes: goodVotes,
          householdHash: submit.householdHash,
          actor: villageOfficial,
          at: '2026-01-17T00:00:00.000Z',
        },
        s,
      ),
      s,
    ) as CaseState;
    expect(s.escalation).toBeUndefined();
    expect(nextEscalationStep(s)).toBeUndefined(); // a publicity period has its own timer
  });

  it('opens a review once; only its village or town closes it, once', () => {
    const opened = decideReview({ type: 'Open', reviewId: 'r', householdId: 'hh', village: '522701101201', year: 2026 }, {}).reduce(evolveReview, {});
    expect(decideReview({ type: 'Open', reviewId: 'r', householdId: 'hh', village: '522701101201', year: 2026 }, opened)).toEqual([]);
    expect(
      refusal(() => decideReview({ type: 'Confirm', note: 'n', actor: { userId: 'v', role: 'village_official', jurisdiction: '522701101202' } }, opened)),
    ).toBe('forbidden');
    expect(refusal(() => decideReview({ type: 'Confirm', note: 'n', actor: { userId: 'c', role: 'county_official', jurisdiction: '522701' } }, opened))).toBe(
      'forbidden',
    );
    const closed = decideReview({ type: 'Confirm', note: 'n', actor: villageOfficial }, opened).reduce(evolveReview, opened);
    expect(closed.status).toBe('confirmed');
    expect(refusal(() => decideReview({ type: 'ProposeExit', reason: 'r', exitCaseId: 'case-x', actor: villageOfficial }, closed))).toBe('conflict');
  });
});
