/**
 * Who must approve a payout, by amount (issue #4 defaults; configurable): up to 2,000 yuan one
 * town approval; above that town then county; above 50,000 yuan two distinct county approvers.
 */
export type ApprovalLevel = 'town' | 'county';

export interface ApprovalThresholds {
  /** At or below this, one town approval. */
  townOnlyMaxFen: number;
  /** Above this, a second, distinct county approval. */
  secondCountyAboveFen: number;
}

export const DEFAULT_THRESHOLDS: ApprovalThresholds = { townOnlyMaxFen: 200_000, secondCountyAboveFen: 5_000_000 };

export function requiredApprovals(amountFen: number, t: ApprovalThresholds = DEFAULT_THRESHOLDS): ApprovalLevel[] {
  if (amountFen <= t.townOnlyMaxFen) return ['town'];
  if (amountFen <= t.secondCountyAboveFen) return ['town', 'county'];
  return ['town', 'county', 'county'];
}

export const APPROVER_ROLE = { town: 'town_official', county: 'county_official' } as const;
