import { decide, fold, openQueries, type CaseCommand, type CaseState, type ComparisonHit } from '../../src/domain/case';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors';
import { OTHER_TOWN, actor, countyOfficial, goodVotes, submitInput, townOfficial, villageOfficial } from '../support/fixtures';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (days: number) => new Date(T0 + days * 86_400_000).toISOString();

function apply(state: CaseState | undefined, command: CaseCommand): CaseState {
  const next = fold(decide(command, state), state);
  if (!next) throw new Error('no state');
  return next;
}
function refusal(state: CaseState, command: CaseCommand): { code: DomainErrorCode; message: string } | undefined {
  try {
    decide(command, state);
    return undefined;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message };
    throw e;
  }
}

/** A case at town audit (village approved, publicity run out). */
function atTownAudit(): CaseState {
  let s = apply(undefined, { ...submitInput(), at: at(0) });
  s = apply(s, {
    type: 'Decide',
    stage: 'village_evaluation',
    decision: 'approve',
    votes: goodVotes,
    householdHash: s.householdHash,
    actor: villageOfficial,
    at: at(1),
  });
  s = apply(s, { type: 'EndPublicity', at: at(9) });
  expect(s.stage).toBe('town_audit');
  return s;
}
const hitOn = (s: CaseState, member: number, listId = 'rl-1', queryId = `q-${listId}-${member}`): ComparisonHit => ({
  queryId,
  source: 'deaths',
  listId,
  listDate: '2026-11-30',
  memberIdHash: s.household.members[member].idHash,
});

describe('comparison queries (比对疑点)', () => {
  it('raises one query per new hit on a member of the household, and none for a hit raised before or a stranger', () => {
    const s = atTownAudit();
    const hits = [hitOn(s, 1), { ...hitOn(s, 0), memberIdHash: 'f'.repeat(64), queryId: 'q-stranger' }];
    const events = decide({ type: 'RaiseQueries', hits, at: at(10) }, s);
    expect(events).toEqual([
      {
        type: 'ComparisonQueryRaised',
        data: { queryId: 'q-rl-1-1', source: 'deaths', listId: 'rl-1', listDate: '2026-11-30', memberIndex: 1, memberIdHash: s.household.members[1].idHash },
      },
    ]);
    const raised = fold(events, s) as CaseState;
    expect(openQueries(raised)).toHaveLength(1);
    expect(decide({ type: 'RaiseQueries', hits, at: at(11) }, raised)).toEqual([]);
  });

  it('raises nothing on an exit case', () => {
    const enrolled = atTownAudit();
    const exit = apply(undefined, {
      ...submitInput(villageOfficial),
      procedure: 'exit',
      reason: 'income verified',
      householdId: enrolled.householdId,
      at: at(0),
    });
    expect(decide({ type: 'RaiseQueries', hits: [hitOn(exit, 0)], at: at(1) }, exit)).toEqual([]);
  });

  it('refuses the town approval and the county approval while a query is open, naming it', () => {
    const base = atTownAudit();
    let s = apply(base, { type: 'RaiseQueries', hits: [hitOn(base, 0)], at: at(10) });
    const approve = { type: 'Decide', stage: 'town_audit', decision: 'approve', householdHash: s.householdHash, actor: townOfficial, at: at(11) } as const;
    const refused = refusal(s, approve);
    expect(refused?.code).toBe('conflict');
    expect(refused?.message).toMatch(/^比对疑点 q-rl-1-0（死亡）尚未处理/);
    // Returning or rejecting is still open to the town.
    expect(refusal(s, { ...approve, decision: 'return', reason: 'recheck the members' })).toBeUndefined();

    // Cleared, the town may pass it; a query raised later holds the county.
    s = apply(s, { type: 'ResolveQuery', queryId: 'q-rl-1-0', outcome: 'cleared', reason: '同名不同人', actor: townOfficial, at: at(12) });
    expect(s.queries?.[0]).toMatchObject({ status: 'cleared', reason: '同名不同人' });
    s = apply(s, approve);
    s = apply(s, { type: 'EndPublicity', at: at(30) });
    expect(s.stage).toBe('county_approval');
    s = apply(s, { type: 'RaiseQueries', hits: [hitOn(s, 1, 'rl-2')], at: at(31) });
    const countyApprove = {
      type: 'Decide',
      stage: 'county_approval',
      decision: 'approve',
      householdHash: s.householdHash,
      actor: countyOfficial,
      at: at(32),
    } as const;
    expect(refusal(s, countyApprove)?.code).toBe('conflict');
    s = apply(s, { type: 'ResolveQuery', queryId: 'q-rl-2-1', outcome: 'cleared', reason: '车辆已过户', actor: townOfficial, at: at(33) });
    expect(apply(s, countyApprove).status).toBe('enrolled');
  });

  it('a confirmed query ends the case rejected, with the finding as its reason', () => {
    const base = atTownAudit();
    const s = apply(base, { type: 'RaiseQueries', hits: [hitOn(base, 0)], at: at(10) });
    const events = decide(
      { type: 'ResolveQuery', queryId: 'q-rl-1-0', outcome: 'confirmed', reason: '户主已于 2026 年 10 月死亡', actor: townOfficial, at: at(11) },
      s,
    );
    expect(events.map((e) => e.type)).toEqual(['ComparisonQueryResolved', 'CaseRejected']);
    const ended = fold(events, s) as CaseState;
    expect(ended).toMatchObject({ status: 'rejected', stage: 'rejected' });
    expect(ended.reason).toMatch(/^比对核实：死亡名单命中，不符合条件 .*户主已于 2026 年 10 月死亡$/);
  });

  it('only a town official of the case’s town settles a query, with a reason, once', () => {
    const base = atTownAudit();
    const s = apply(base, { type: 'RaiseQueries', hits: [hitOn(base, 0)], at: at(10) });
    const resolve = { type: 'ResolveQuery', queryId: 'q-rl-1-0', outcome: 'cleared', reason: 'checked', actor: townOfficial, at: at(11) } as const;
    expect(refusal(s, { ...resolve, actor: actor('u-town-other', 'town_official', OTHER_TOWN) })?.code).toBe('forbidden');
    expect(refusal(s, { ...resolve, actor: countyOfficial })?.code).toBe('forbidden');
    expect(refusal(s, { ...resolve, actor: villageOfficial })?.code).toBe('forbidden');
    expect(refusal(s, { ...resolve, reason: '  ' })?.code).toBe('invalid');
    expect(refusal(s, { ...resolve, queryId: 'q-none' })?.code).toBe('not_found');
    const settled = apply(s, resolve);
    expect(refusal(settled, resolve)?.code).toBe('conflict');
  });
});
