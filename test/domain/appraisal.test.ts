import { DEFAULT_APPRAISAL_RULES, impossibleVotes, judgeAppraisal, type Votes } from '../../src/domain/case';
import { goodVotes } from '../support/fixtures';

const votes = (representatives: number, present: number, f: number, against: number, abstain: number): Votes => ({
  representatives,
  present,
  for: f,
  against,
  abstain,
});

describe('judgeAppraisal', () => {
  it('defaults to a two-thirds quorum and more than half in favour', () => {
    expect(DEFAULT_APPRAISAL_RULES).toEqual({ quorum: [2, 3], majority: [1, 2] });
  });

  it('recommends with the fixture votes', () => {
    expect(judgeAppraisal(goodVotes)).toEqual({ valid: true, recommended: true, why: '15 of 18 present in favour' });
  });

  it('counts exactly two thirds present as a quorum', () => {
    expect(judgeAppraisal(votes(21, 14, 10, 4, 0))).toMatchObject({ valid: true, recommended: true });
    expect(judgeAppraisal(votes(3, 2, 2, 0, 0))).toMatchObject({ valid: true, recommended: true });
  });

  it('has no quorum one short of two thirds, and says how many were needed', () => {
    const v = judgeAppraisal(votes(21, 13, 13, 0, 0));
    expect(v.valid).toBe(false);
    expect(v.why).toBe('no quorum: 13 of 21 present, 14 needed');
    // 2/3 of 20 is 13.33: 13 is not enough, 14 is
    expect(judgeAppraisal(votes(20, 13, 13, 0, 0))).toEqual({ valid: false, why: 'no quorum: 13 of 20 present, 14 needed' });
    expect(judgeAppraisal(votes(20, 14, 14, 0, 0))).toMatchObject({ valid: true, recommended: true });
  });

  it('does not count exactly half in favour as a majority', () => {
    expect(judgeAppraisal(votes(21, 18, 9, 9, 0))).toEqual({ valid: true, recommended: false, why: '9 of 18 present in favour' });
    expect(judgeAppraisal(votes(21, 18, 9, 0, 9))).toMatchObject({ valid: true, recommended: false });
    expect(judgeAppraisal(votes(21, 18, 10, 8, 0))).toMatchObject({ valid: true, recommended: true });
  });

  it('counts abstentions as not in favour', () => {
    expect(judgeAppraisal(votes(21, 17, 8, 1, 8))).toMatchObject({ valid: true, recommended: false });
  });

  it('is invalid with more present than representatives', () => {
    expect(judgeAppraisal(votes(10, 11, 11, 0, 0))).toEqual({ valid: false, why: '11 present of only 10 representatives' });
  });

  it('is invalid when the votes cast do not sum to those present', () => {
    expect(judgeAppraisal(votes(21, 18, 15, 2, 0))).toEqual({ valid: false, why: 'votes cast (17) differ from those present (18)' });
    expect(judgeAppraisal(votes(21, 18, 15, 2, 2))).toMatchObject({ valid: false });
  });

  it('accepts all present', () => {
    expect(judgeAppraisal(votes(21, 21, 0, 21, 0))).toMatchObject({ valid: true, recommended: false });
  });

  it('applies custom rules', () => {
    const rules = { quorum: [1, 2] as [number, number], majority: [2, 3] as [number, number] };
    expect(judgeAppraisal(votes(20, 10, 7, 3, 0), rules)).toMatchObject({ valid: true, recommended: true });
    expect(judgeAppraisal(votes(21, 9, 9, 0, 0), rules)).toMatchObject({ valid: false });
    // exactly two thirds in favour is not "more than" two thirds
    expect(judgeAppraisal(votes(21, 12, 8, 4, 0), rules)).toMatchObject({ valid: true, recommended: false });
  });
});

describe('impossibleVotes', () => {
  const fields = (v: Votes) => impossibleVotes(v).map((f) => f.field);
  it('names counts no assembly can produce', () => {
    expect(fields(votes(21, 99, 0, 0, 0))).toEqual(['present']);
    expect(fields(votes(21, 18, 19, 0, 0))).toEqual(['for']);
    expect(fields(votes(21, 18, 0, 30, 40))).toEqual(['against', 'abstain']);
    expect(fields(votes(21, 18, 10, 5, 5))).toEqual(['present']); // 20 votes cast by 18 present
  });
  it('passes a real vote, one short of its quorum or with votes not cast too', () => {
    expect(fields(goodVotes)).toEqual([]);
    expect(fields(votes(21, 5, 5, 0, 0))).toEqual([]);
    expect(fields(votes(21, 18, 10, 2, 1))).toEqual([]);
  });
});
