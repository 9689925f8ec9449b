import { DomainError } from '../../src/domain/errors';
import type { Member } from '../../src/domain/household';
import { maskName, mayClaim, UNSTARTED_CLAIM_MS } from '../../src/domain/household-membership';
import { decideTransfer, type TransferMember } from '../../src/domain/member-transfer';
import { OTHER_VILLAGE, TOWN, VILLAGE, actor } from '../support/fixtures';

const NOW = new Date('2026-12-08T02:00:00Z');
const claimant = { householdId: 'hh-b', caseId: 'case-b' };
const holder = (over: Partial<Parameters<typeof mayClaim>[0]> = {}) => ({ householdId: 'hh-a', caseId: 'case-a', claimedAt: '2026-12-08T01:59:00Z', ...over });

describe('mayClaim: one person, one household', () => {
  it('an applying or enrolled household holds its members', () => {
    expect(mayClaim(holder({ standing: 'applying' }), claimant, NOW)).toBe(false);
    expect(mayClaim(holder({ standing: 'enrolled' }), claimant, NOW)).toBe(false);
  });

  it('a rejected or exited household frees them', () => {
    expect(mayClaim(holder({ standing: 'rejected' }), claimant, NOW)).toBe(true);
    expect(mayClaim(holder({ standing: 'exited' }), claimant, NOW)).toBe(true);
  });

  it('the same application retried keeps them', () => {
    expect(mayClaim(holder({ standing: 'applying', caseId: 'case-b' }), claimant, NOW)).toBe(true);
  });

  it('an application whose case has not recorded its first step holds them, until it is plainly never going to', () => {
    expect(mayClaim(holder(), claimant, NOW)).toBe(false);
    const old = new Date(NOW.getTime() - UNSTARTED_CLAIM_MS - 1).toISOString();
    expect(mayClaim(holder({ claimedAt: old }), claimant, NOW)).toBe(true);
    expect(mayClaim(holder({ claimedAt: old, standing: 'applying' }), claimant, NOW)).toBe(false);
  });

  it('masks a name to its family name', () => {
    expect(maskName('王芳')).toBe('王*');
    expect(maskName('欧阳明月')).toBe('欧***');
    expect(maskName('李')).toBe('*');
  });
});

describe('decideTransfer', () => {
  const member: Member = { name: 'Li Xiaomei', relation: 'child', idHash: 'h1', idMasked: '5227**********1234', age: 20, ableToWork: true, health: 'healthy' };
  const command = (over: Partial<TransferMember> = {}): TransferMember => ({
    transferId: 'transfer-1',
    heldBy: 'hh-a',
    member,
    relation: 'daughter-in-law',
    reason: 'married',
    from: { householdId: 'hh-a', village: VILLAGE, standing: 'enrolled' },
    to: { householdId: 'hh-b', village: OTHER_VILLAGE, standing: 'applying' },
    actor: actor('u-town', 'town_official', TOWN),
    ...over,
  });
  const refusal = (c: TransferMember) => {
    try {
      decideTransfer(c);
    } catch (e) {
      return e instanceof DomainError ? e.code : e;
    }
    return 'accepted';
  };

  it('records the person leaving one household and joining the other, with the new relation, who and why', () => {
    const [out, into] = decideTransfer(command());
    expect(out).toEqual({
      type: 'MemberTransferredOut',
      data: { transferId: 'transfer-1', idHash: 'h1', idMasked: member.idMasked, reason: 'married', by: 'u-town', toHouseholdId: 'hh-b' },
    });
    expect(into.data).toMatchObject({ fromHouseholdId: 'hh-a', member: { ...member, relation: 'daughter-in-law' } });
  });

  it('refuses what would be a loophole', () => {
    expect(refusal(command({ actor: actor('u-village', 'village_official', VILLAGE) }))).toBe('forbidden'); // the other village is not theirs
    expect(refusal(command({ actor: actor('u-county', 'county_official', '522701') }))).toBe('forbidden');
    expect(refusal(command({ actor: actor('u-app', 'applicant', VILLAGE) }))).toBe('forbidden');
    expect(refusal(command({ heldBy: 'hh-c' }))).toBe('invalid');
    expect(refusal(command({ member: undefined }))).toBe('invalid');
    expect(refusal(command({ member: { ...member, relation: 'head' } }))).toBe('invalid');
    expect(refusal(command({ to: { householdId: 'hh-a', village: VILLAGE, standing: 'enrolled' } }))).toBe('invalid');
    expect(refusal(command({ to: { householdId: 'hh-b', village: OTHER_VILLAGE, standing: 'rejected' } }))).toBe('conflict');
    expect(refusal(command({ to: { householdId: 'hh-b', village: OTHER_VILLAGE, standing: 'exited' } }))).toBe('conflict');
    expect(
      refusal(command({ actor: actor('u-village', 'village_official', VILLAGE), to: { householdId: 'hh-b', village: VILLAGE, standing: 'enrolled' } })),
    ).toBe('accepted');
  });
});
