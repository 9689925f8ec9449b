import { decide, fold, type CaseCommand, type CaseState } from '../../src/domain/case';
import type { DomainError } from '../../src/domain/errors';
import { applicant, submitInput, townOfficial, villageOfficial } from '../support/fixtures';

const T0 = '2026-03-01T00:00:00.000Z';
const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
const run = (s: CaseState | undefined, c: CaseCommand) => fold(decide(c, s), s) as CaseState;
const code = (s: CaseState | undefined, c: CaseCommand) => {
  try {
    decide(c, s);
    return undefined;
  } catch (e) {
    return (e as DomainError).code;
  }
};
const propose = (by = villageOfficial, reason = 'income above the line for two years'): CaseCommand => ({
  ...submitInput(by),
  procedure: 'exit',
  reason,
  at: T0,
});

describe('exit procedure (verification, publicity, announcement)', () => {
  it('goes from verification through publicity to exited', () => {
    let s = run(undefined, propose());
    expect(s).toMatchObject({ procedure: 'exit', stage: 'exit_verification', status: 'open', applicantId: villageOfficial.userId });
    s = run(s, { type: 'Decide', stage: 'exit_verification', decision: 'approve', householdHash: s.householdHash, actor: townOfficial, at: at(1) });
    expect(s.stage).toBe('exit_publicity');
    s = run(s, { type: 'EndPublicity', at: at(8) });
    expect(s).toMatchObject({ status: 'exited', stage: 'exited' });
  });

  it("is proposed only by the household's village or town officials, with a reason", () => {
    expect(code(undefined, propose(applicant))).toBe('forbidden');
    expect(code(undefined, propose(villageOfficial, ' '))).toBe('invalid');
  });

  it('keeps the proposer from verifying their own proposal', () => {
    const s = run(undefined, propose(townOfficial));
    expect(code(s, { type: 'Decide', stage: 'exit_verification', decision: 'approve', householdHash: s.householdHash, actor: townOfficial, at: at(1) })).toBe(
      'forbidden',
    );
  });

  it('returns to verification on a substantiated objection during exit publicity', () => {
    let s = run(undefined, propose());
    s = run(s, { type: 'Decide', stage: 'exit_verification', decision: 'approve', householdHash: s.householdHash, actor: townOfficial, at: at(1) });
    s = run(s, { type: 'LodgeObjection', objectionId: 'o1', grounds: 'still cannot afford medicine', actor: applicant, at: at(2) });
    s = run(s, { type: 'ResolveObjection', objectionId: 'o1', substantiated: true, finding: 'medical costs confirmed', actor: townOfficial, at: at(3) });
    expect(s).toMatchObject({ stage: 'exit_verification', status: 'open' });
  });
});
