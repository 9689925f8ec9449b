import { z } from 'zod';

export const POVERTY_CAUSES = ['illness', 'lack_of_skilled_labour', 'living_environment', 'lack_of_development_funds', 'low_income', 'schooling', 'disaster'] as const;
export const HOUSING_GRADES = ['A', 'B', 'C', 'D'] as const;
export const HEALTH = ['healthy', 'chronic_illness', 'serious_illness', 'disabled'] as const;

/** 18 characters: 17 digits and a check character (digit or X). */
const idNumber = z.string().regex(/^\d{17}[\dX]$/, 'an 18-character resident ID number');

export const MemberInputSchema = z.object({
  name: z.string().min(1).max(100),
  relation: z.string().min(1).max(40).describe('relation to the head: head, spouse, child, parent, …'),
  idNumber,
  age: z.number().int().min(0).max(130),
  ableToWork: z.boolean(),
  health: z.enum(HEALTH),
});

export const BankAccountSchema = z.object({
  bank: z.string().min(1).max(100),
  accountNumber: z.string().regex(/^\d{8,30}$/, '8 to 30 digits'),
});

/** A household as the applicant or village official enters it. */
export const HouseholdInputSchema = z.object({
  members: z.array(MemberInputSchema).min(1).max(30).refine((ms) => ms.filter((m) => m.relation === 'head').length === 1, 'exactly one member has relation "head"'),
  annualIncomeFen: z.number().int().min(0).describe('the household\'s net income last year, integer fen'),
  housingGrade: z.enum(HOUSING_GRADES),
  landMu: z.number().min(0).max(10_000).optional(),
  primaryCause: z.enum(POVERTY_CAUSES),
  secondaryCauses: z.array(z.enum(POVERTY_CAUSES)).max(6).default([]),
  requestedHelp: z.string().min(1).max(2000),
  bankAccount: BankAccountSchema.optional(),
});
export type HouseholdInput = z.infer<typeof HouseholdInputSchema>;

/**
 * The household as the system keeps it: ID numbers are replaced by a keyed hash (to find
 * relations and duplicates) and a masked form (for people to recognise the member). The
 * full number never enters events, workflow histories or logs. The bank account number is
 * kept sealed (AES-GCM, `enc:v1:…`, src/crypto/sealed-field.ts) beside its masked form; only
 * the bank call and the closed-operation check open it. Households recorded before sealing
 * hold it plain and no masked form.
 */
export interface Member {
  name: string;
  relation: string;
  idHash: string;
  idMasked: string;
  age: number;
  ableToWork: boolean;
  health: (typeof HEALTH)[number];
}
export interface Household {
  members: Member[];
  annualIncomeFen: number;
  housingGrade: (typeof HOUSING_GRADES)[number];
  landMu?: number;
  primaryCause: (typeof POVERTY_CAUSES)[number];
  secondaryCauses: (typeof POVERTY_CAUSES)[number][];
  requestedHelp: string;
  bankAccount?: { bank: string; accountNumber: string; accountMasked?: string };
}

/**
 * A household id: `hh-<uuid>`, random (issue #8); households registered before keep their
 * `hh_<24 hex>` id, which was derived from the head's ID number.
 */
export const HOUSEHOLD_ID_PATTERN = /^(hh-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|hh_[0-9a-f]{24})$/;

export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}**********${id.slice(-4)}`;
}
