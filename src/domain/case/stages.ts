import type { Role } from '../roles';

/**
 * Two procedures share one case machine (DOMAIN.md): entry, "household application, village
 * evaluation, town audit" with "two publicity and one announcement"; and exit, the same in
 * reverse: verification, publicity, announcement.
 */
export const STAGES = [
  'village_evaluation',
  'village_publicity',
  'town_audit',
  'town_publicity',
  'county_approval',
  'enrolled',
  'exit_verification',
  'exit_publicity',
  'exited',
  'rejected',
] as const;
export type Stage = (typeof STAGES)[number];
export type Procedure = 'entry' | 'exit';

/** `as const`, so that schemas built from these lists (z.enum) keep the literal types. */
export const DECISION_STAGES = ['village_evaluation', 'town_audit', 'county_approval', 'exit_verification'] as const satisfies readonly Stage[];
export const PUBLICITY_STAGES = ['village_publicity', 'town_publicity', 'exit_publicity'] as const satisfies readonly Stage[];
export type DecisionStage = (typeof DECISION_STAGES)[number];
export type PublicityStage = (typeof PUBLICITY_STAGES)[number];
export type Decision = 'approve' | 'reject' | 'return';

/** Where each procedure starts. */
export const FIRST_STAGE: Record<Procedure, DecisionStage> = { entry: 'village_evaluation', exit: 'exit_verification' };

export function isDecisionStage(s: Stage): s is DecisionStage {
  return (DECISION_STAGES as readonly Stage[]).includes(s);
}
export function isPublicityStage(s: Stage): s is PublicityStage {
  return (PUBLICITY_STAGES as readonly Stage[]).includes(s);
}

/** The role each human stage needs. */
export const DECIDER_ROLE: Record<DecisionStage, Role> = {
  village_evaluation: 'village_official',
  town_audit: 'town_official',
  county_approval: 'county_official',
  exit_verification: 'town_official',
};

/** Where an approval leads. */
export const NEXT_STAGE: Record<DecisionStage | PublicityStage, Stage> = {
  village_evaluation: 'village_publicity',
  village_publicity: 'town_audit',
  town_audit: 'town_publicity',
  town_publicity: 'county_approval',
  county_approval: 'enrolled',
  exit_verification: 'exit_publicity',
  exit_publicity: 'exited',
};

/** Where a return (or a substantiated objection) sends the case for re-examination. */
export const RETURN_TO: Partial<Record<Stage, DecisionStage>> = {
  town_audit: 'village_evaluation',
  county_approval: 'town_audit',
  village_publicity: 'village_evaluation',
  town_publicity: 'town_audit',
  exit_publicity: 'exit_verification',
};

/** Officials who may resolve objections lodged during each publicity period. */
export const RESOLVER_ROLES: Record<PublicityStage, readonly Role[]> = {
  village_publicity: ['village_official', 'town_official'],
  town_publicity: ['town_official', 'county_official'],
  exit_publicity: ['village_official', 'town_official'],
};
