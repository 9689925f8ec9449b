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

/**
 * Counts no assembly can produce: more present than there are representatives, more votes of
 * one kind, or more votes in all, than people present. Such a record is a typing mistake, not
 * a vote to judge: refused naming the count (the API answers 400), where a real vote that
 * misses its quorum is recorded as an invalid appraisal.
 */
export function impossibleVotes(v: Votes): { field: keyof Votes; why: string }[] {
  const found: { field: keyof Votes; why: string }[] = [];
  if (v.present > v.representatives)
    found.push({
      field: 'present',
      why: `到会 ${v.present} 人多于代表 ${v.representatives} 人 (${v.present} present of only ${v.representatives} representatives)`,
    });
  for (const field of ['for', 'against', 'abstain'] as const)
    if (v[field] > v.present) found.push({ field, why: `${v[field]} 票多于到会 ${v.present} 人 (${v[field]} votes of only ${v.present} present)` });
  const cast = v.for + v.against + v.abstain;
  if (!found.length && cast > v.present)
    found.push({ field: 'present', why: `投票 ${cast} 张多于到会 ${v.present} 人 (${cast} votes cast by only ${v.present} present)` });
  return found;
}

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
