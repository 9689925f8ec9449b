/**
 * One person, one household: a person belongs to at most one applying or enrolled household.
 * Counting a person twice is how a household is paid twice; every social-protection registry
 * guards "accurate identification" by it, and so does the county's comparison before approval.
 */
import { assertNever } from './errors';

/** Where a household stands in the registry (src/store/projections/households.ts). */
export type HouseholdStanding = 'applying' | 'enrolled' | 'rejected' | 'exited';

/** Who holds a person now: the household and the application that claimed them. */
export interface MembershipHolder {
  householdId: string;
  caseId: string;
  claimedAt: string;
  /** The holder's standing; undefined while its case has not recorded its first step. */
  standing?: HouseholdStanding;
}

/**
 * An application that claimed its members but whose case never recorded its first step (its
 * start failed, and no one retried it) stops holding them after this long; a start takes
 * seconds, so a claim this old without a case is one that will never have one.
 */
export const UNSTARTED_CLAIM_MS = 15 * 60_000;

/** Whether an application (`claimant`) may have a person now held by `holder`. */
export function mayClaim(holder: MembershipHolder, claimant: { householdId: string; caseId: string }, now: Date): boolean {
  if (holder.caseId === claimant.caseId) return true; // the same application, retried
  const standing = holder.standing;
  if (standing === undefined) return now.getTime() - Date.parse(holder.claimedAt) > UNSTARTED_CLAIM_MS;
  switch (standing) {
    case 'rejected':
    case 'exited':
      return true; // a household that left the register frees its members
    case 'applying':
    case 'enrolled':
      return false;
    default:
      return assertNever(standing);
  }
}

/** A name as others may see it: the family name, the rest hidden (王芳 → 王*). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
