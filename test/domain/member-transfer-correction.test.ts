import { decide, fold, type CaseCommand, type CaseState } from '../../src/domain/case';
import { DomainError } from '../../src/domain/errors';
import type { Member } from '../../src/domain/household';
import type { Actor } from '../../src/domain/roles';
import { OTHER_VILLAGE, actor, applicant, countyOfficial, submitInput, townOfficial, villageOfficial } from '../support/fixtures';

const T0 = '2026-01-01T00:00:00.000Z';
const submitted = (): CaseState => fold(decide({ ...submitInput(applicant), at: T0 }, undefined), undefined) as CaseState;
const refusal = (s: CaseState, c: CaseCommand) => {
  try {
    decide(c, s);
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : e;
  }
};
const newcomer: Member = {
  name: 'Li Xiaomei',
  relation: 'daughter-in-law',
  idHash: 'f'.repeat(64),
  idMasked: '5227**********1234',
  age: 24,
  ableToWork: true,
  health: 'healthy',
};
const transfer = (s: CaseState, members: Member[], idHash: string, by: Actor = townOfficial): CaseCommand => ({
  type: 'RecordMemberTransfer',
  transferId: 'transfer-1',
  idHash,
  household: { ...s.household, members },
  householdHash: 'b'.repeat(64),
  reason: 'married in',
  actor: by,
  at: T0,
});

describe('a member transfer brought into an open case', () => {
  it('records the household with the one person added or removed, and the new householdHash decisions pin', () => {
    const s = submitted();
    const joined = decide(transfer(s, [...s.household.members, newcomer], newcomer.idHash), s);
    expect(joined).toEqual([
      {
        type: 'HouseholdCorrected',
        data: {
          household: { ...s.household, members: [...s.household.members, newcomer] },
          householdHash: 'b'.repeat(64),
          reason: 'married in',
          transferId: 'transfer-1',
        },
      },
    ]);
    expect(fold(joined, s)).toMatchObject({ householdHash: 'b'.repeat(64), stage: 'village_evaluation' });
    const left = s.household.members[1];
    expect(decide(transfer(s, [s.household.members[0]], left.idHash, villageOfficial), s)).toHaveLength(1);
  });

  it('records nothing for a transfer the case already holds', () => {
    const s = submitted();
    expect(decide(transfer(s, s.household.members, newcomer.idHash), s)).toEqual([]);
    expect(refusal(s, transfer(s, [...s.household.members, s.household.members[1]], newcomer.idHash))).toBe('invalid');
  });

  it('refuses more than the one person moved, someone else moved, a repeated person, and officials not of the household', () => {
    const s = submitted();
    const [head, spouse] = s.household.members;
    expect(refusal(s, transfer(s, [head, spouse, newcomer, { ...newcomer, idHash: 'e'.repeat(64) }], newcomer.idHash))).toBe('invalid');
    expect(refusal(s, transfer(s, [head], newcomer.idHash))).toBe('invalid');
    expect(refusal(s, transfer(s, [head, spouse, newcomer, newcomer], newcomer.idHash))).toBe('invalid');
    expect(refusal(s, transfer(s, [head, spouse, newcomer], newcomer.idHash, countyOfficial))).toBe('forbidden');
    expect(refusal(s, transfer(s, [head, spouse, newcomer], newcomer.idHash, actor('u-other', 'village_official', OTHER_VILLAGE)))).toBe('forbidden');
  });
});

describe('a household correction', () => {
  const correction = (s: CaseState, members: Member[]): CaseCommand => ({
    type: 'CorrectHousehold',
    household: { ...s.household, members, annualIncomeFen: 300_000 },
    householdHash: 'c'.repeat(64),
    reason: 'income re-surveyed',
    actor: villageOfficial,
    at: T0,
  });
  it('keeps its members: who belongs to a household changes only by a transfer, which claims them', () => {
    const s = submitted();
    expect(refusal(s, correction(s, [...s.household.members, newcomer]))).toBe('invalid');
    expect(refusal(s, correction(s, [s.household.members[0]]))).toBe('invalid');
    expect(refusal(s, correction(s, [...s.household.members].reverse()))).toBeUndefined();
    // A correction decided before the rule replays as it was.
    expect(refusal(s, { ...correction(s, [...s.household.members, newcomer]), membersUnchecked: true } as CaseCommand)).toBeUndefined();
  });
});
