/**
 * A household's help survey and plan, signed by three parties (DOMAIN.md: "the town head, the
 * village person in charge, and the helping unit's person in charge — mutual restriction and
 * supervision"). Each signature pins the plan's hash; any change to the plan voids the
 * signatures given so far, and the plan takes effect only when all three pin the current one.
 * The hash (SHA-256 of the plan's canonical JSON) is computed outside this pure module and
 * checked against the content before anything is recorded.
 */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import type { Role } from '../roles';
import { STREAM_TYPE } from '../streams';

export const POVERTY_CAUSES = ['illness', 'disability', 'disaster', 'lack_of_labour', 'lack_of_skills', 'lack_of_capital', 'schooling', 'other'] as const;
export const MEASURE_KINDS = ['one_time_relief', 'project_assistance', 'industry_support', 'relocation', 'medical_top_up', 'training'] as const;
export const PLAN_PARTIES = ['town', 'village', 'unit'] as const;
export type PlanParty = (typeof PLAN_PARTIES)[number];

export interface PlanContent {
  survey: { familySituation: string; cause: (typeof POVERTY_CAUSES)[number]; routeOut: string; expectedEffect: string };
  measures: { kind: (typeof MEASURE_KINDS)[number]; description: string; moneyFen: number }[];
  fundIds: string[];
  helpingUnit: { name: string; inChargeUserId: string };
}

export const moneyNeeded = (p: PlanContent) => p.measures.reduce((sum, m) => sum + m.moneyFen, 0);

export interface Signature {
  party: PlanParty;
  signedBy: string;
  planHash: string;
}

export interface HelpPlanState {
  householdId?: string;
  village?: string;
  content?: PlanContent;
  planHash?: string;
  /** Counts drafts and changes: version 1 is the first plan. */
  planVersion: number;
  signatures: Signature[];
  effective: boolean;
}

export interface Signer {
  userId: string;
  role: Role;
  jurisdiction: string;
}

export type HelpPlanCommand =
  | { type: 'Draft'; householdId: string; village: string; content: PlanContent; planHash: string; by: string }
  | { type: 'Sign'; party: PlanParty; planHash: string; signer: Signer };

export type HelpPlanEvent =
  | {
      type: 'PlanDrafted';
      data: { householdId: string; village: string; content: PlanContent; planHash: string; planVersion: number; moneyNeededFen: number; by: string };
    }
  | { type: 'SignaturesVoided'; data: { planHash: string; parties: PlanParty[] } }
  | { type: 'PlanSigned'; data: Signature }
  | { type: 'PlanTookEffect'; data: { planHash: string; planVersion: number } };

/** Who signs for each party: the town head and the village's person in charge of the household's place; for the unit, the person the plan names. */
export function mayActFor(party: PlanParty, signer: Signer, village: string, content: PlanContent): boolean {
  switch (party) {
    case 'town':
      return signer.role === 'town_official' && signer.jurisdiction === village.slice(0, 9);
    case 'village':
      return signer.role === 'village_official' && signer.jurisdiction === village;
    case 'unit':
      return signer.userId === content.helpingUnit.inChargeUserId;
    default:
      return assertNever(party);
  }
}

export function decideHelpPlan(c: HelpPlanCommand, s: HelpPlanState): HelpPlanEvent[] {
  switch (c.type) {
    case 'Draft': {
      if (s.householdId && s.householdId !== c.householdId) throw new DomainError('invalid', 'a plan stream holds one household');
      if (s.planHash === c.planHash) return []; // the same plan again: nothing changes, no signature is lost
      const drafted: HelpPlanEvent = {
        type: 'PlanDrafted',
        data: {
          householdId: c.householdId,
          village: c.village,
          content: c.content,
          planHash: c.planHash,
          planVersion: s.planVersion + 1,
          moneyNeededFen: moneyNeeded(c.content),
          by: c.by,
        },
      };
      const voided: HelpPlanEvent[] =
        s.signatures.length > 0 ? [{ type: 'SignaturesVoided', data: { planHash: s.planHash as string, parties: s.signatures.map((g) => g.party) } }] : [];
      return [...voided, drafted];
    }
    case 'Sign': {
      if (!s.content || !s.planHash || !s.village) throw new DomainError('not_found', 'the household has no help plan yet');
      if (c.planHash !== s.planHash) throw new DomainError('stale_plan', 'the plan has changed since you read it: read it again and sign the current version');
      const already = s.signatures.find((g) => g.party === c.party);
      if (already?.signedBy === c.signer.userId) return []; // signed already (a retry)
      if (already) throw new DomainError('conflict', `the ${c.party} party has already signed this version`);
      if (!mayActFor(c.party, c.signer, s.village, s.content))
        throw new DomainError('forbidden', `you may not sign for the ${c.party} party of this household's plan`);
      if (s.signatures.some((g) => g.signedBy === c.signer.userId)) throw new DomainError('forbidden', 'one person signs for one party only');
      const signed: HelpPlanEvent = { type: 'PlanSigned', data: { party: c.party, signedBy: c.signer.userId, planHash: c.planHash } };
      const complete = s.signatures.length + 1 === PLAN_PARTIES.length;
      return complete ? [signed, { type: 'PlanTookEffect', data: { planHash: s.planHash, planVersion: s.planVersion } }] : [signed];
    }
    default:
      return assertNever(c);
  }
}

export function evolveHelpPlan(s: HelpPlanState, e: HelpPlanEvent): HelpPlanState {
  switch (e.type) {
    case 'PlanDrafted':
      return {
        householdId: e.data.householdId,
        village: e.data.village,
        content: e.data.content,
        planHash: e.data.planHash,
        planVersion: e.data.planVersion,
        signatures: [],
        effective: false,
      };
    case 'SignaturesVoided':
      return { ...s, signatures: [], effective: false };
    case 'PlanSigned':
      return { ...s, signatures: [...s.signatures, e.data] };
    case 'PlanTookEffect':
      return { ...s, effective: true };
    default:
      return assertNever(e);
  }
}

export const helpPlanDecider: StreamDecider<HelpPlanState, HelpPlanCommand, HelpPlanEvent> = {
  streamType: STREAM_TYPE['help-plan'],
  decide: decideHelpPlan,
  evolve: evolveHelpPlan,
  initialState: () => ({ planVersion: 0, signatures: [], effective: false }),
};
