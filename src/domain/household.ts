export const POVERTY_CAUSES = [
  'illness',
  'lack_of_skilled_labour',
  'living_environment',
  'lack_of_development_funds',
  'low_income',
  'schooling',
  'disaster',
] as const;
export const HOUSING_GRADES = ['A', 'B', 'C', 'D'] as const;
export const HEALTH = ['healthy', 'chronic_illness', 'serious_illness', 'disabled'] as const;

/** What a member is, whether as entered or as kept. */
interface MemberFields {
  name: string;
  relation: string;
  age: number;
  ableToWork: boolean;
  health: (typeof HEALTH)[number];
}

/** What a household is, whether as entered or as kept. */
interface HouseholdFields {
  annualIncomeFen: number;
  housingGrade: (typeof HOUSING_GRADES)[number];
  landMu?: number;
  primaryCause: (typeof POVERTY_CAUSES)[number];
  secondaryCauses: (typeof POVERTY_CAUSES)[number][];
  requestedHelp: string;
}

/** A member as the applicant or village official enters it (validated by src/api/contract/household-input.ts). */
export interface MemberInput extends MemberFields {
  idNumber: string;
}

/** A household as the applicant or village official enters it (validated by src/api/contract/household-input.ts). */
export interface HouseholdInput extends HouseholdFields {
  members: MemberInput[];
  bankAccount?: { bank: string; accountNumber: string };
}

/** A household as a client sends it: a member's age may be left for the ID number to give. */
export interface HouseholdEntry extends Omit<HouseholdInput, 'members'> {
  members: (Omit<MemberInput, 'age'> & { age?: number })[];
}

/**
 * The household as the system keeps it: ID numbers are replaced by a keyed hash (to find
 * relations and duplicates) and a masked form (for people to recognise the member). The
 * full number never enters events, workflow histories or logs. The bank account number is
 * kept sealed (AES-GCM, `enc:v1:…`, src/crypto/sealed-field.ts) beside its masked form; only
 * the bank call and the closed-operation check open it. Households recorded before sealing
 * hold it plain and no masked form.
 */
export interface Member extends MemberFields {
  idHash: string;
  idMasked: string;
}
export interface Household extends HouseholdFields {
  members: Member[];
  bankAccount?: { bank: string; accountNumber: string; accountMasked?: string };
}

/**
 * A household id: `hh-<uuid>`, random (issue #8); households registered before keep their
 * `hh_<24 hex>` id, which was derived from the head's ID number.
 */
export const HOUSEHOLD_ID_PATTERN = /^(hh-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|hh_[0-9a-f]{24})$/;

/** The member a household is known by: its head (stable across re-applications). */
export function headOf(h: Pick<Household, 'members'>): Member {
  return h.members.find((m) => m.relation === 'head') ?? h.members[0];
}

export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}**********${id.slice(-4)}`;
}
