/**
 * The villagers' representative assembly's vote. Defaults (issue #3): a quorum of two thirds
 * of the representatives, and more than half of those present in favour.
 */
export interface Votes {
  representatives: number;
  present: number;
  for: number;
  against: number;
  abstain: number;
}

export interface AppraisalRules {
  /** Fraction of representatives that must be present, as numerator/denominator (no floats). */
  quorum: [number, number];
  /** Fraction of those present that must vote for a recommendation. Strictly more than this. */
  majority: [number, number];
}

export const DEFAULT_APPRAISAL_RULES: AppraisalRules = { quorum: [2, 3], majority: [1, 2] };

export type AppraisalVerdict = { valid: false; why: string } | { valid: true; recommended: boolean; why: string };

export function judgeAppraisal(v: Votes, rules: AppraisalRules = DEFAULT_APPRAISAL_RULES): AppraisalVerdict {
  const counts = [v.representatives, v.present, v.for, v.against, v.abstain];
  if (counts.some((n) => !Number.isInteger(n) || n < 0) || v.representatives === 0)
    return { valid: false, why: 'vote counts must be whole numbers and there must be representatives' };
  if (v.present > v.representatives) return { valid: false, why: `${v.present} present of only ${v.representatives} representatives` };
  if (v.for + v.against + v.abstain !== v.present)
    return { valid: false, why: `votes cast (${v.for + v.against + v.abstain}) differ from those present (${v.present})` };
  const [qn, qd] = rules.quorum;
  // present/representatives >= qn/qd, in integers.
  if (v.present * qd < v.representatives * qn) {
    const needed = Math.ceil((v.representatives * qn) / qd);
    return { valid: false, why: `no quorum: ${v.present} of ${v.representatives} present, ${needed} needed` };
  }
  const [mn, md] = rules.majority;
  const recommended = v.for * md > v.present * mn;
  return { valid: true, recommended, why: `${v.for} of ${v.present} present in favour` };
}
