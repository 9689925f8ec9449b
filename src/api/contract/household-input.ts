import { z } from 'zod';
import { HEALTH, HOUSING_GRADES, POVERTY_CAUSES, type HouseholdInput } from '../../domain/household';
import { fen } from './money';
import { line, prose } from './text';

/** 18 characters: 17 digits and a check character (digit or X). */
const idNumber = z.string().regex(/^\d{17}[\dX]$/, 'an 18-character resident ID number');

export const MemberInputSchema = z.object({
  name: line(100),
  relation: line(40, 'relation to the head: head, spouse, child, parent, …'),
  idNumber,
  age: z.number().int().min(0).max(130),
  ableToWork: z.boolean(),
  health: z.enum(HEALTH),
});

export const BankAccountSchema = z.object({
  bank: line(100),
  accountNumber: z.string().regex(/^\d{8,30}$/, '8 to 30 digits'),
});

/** A household as the applicant or village official enters it: POST /applications and every intake row. */
export const HouseholdInputSchema = z.object({
  members: z
    .array(MemberInputSchema)
    .min(1)
    .max(30)
    .refine((ms) => ms.filter((m) => m.relation === 'head').length === 1, 'exactly one member has relation "head"'),
  annualIncomeFen: fen('the household\'s net income last year, integer fen, written as an integer literal (1.0, 1e3 and "100" are refused)'),
  housingGrade: z.enum(HOUSING_GRADES),
  landMu: z.number().min(0).max(10_000).optional(),
  primaryCause: z.enum(POVERTY_CAUSES),
  secondaryCauses: z.array(z.enum(POVERTY_CAUSES)).max(6).default([]),
  requestedHelp: prose(2000),
  bankAccount: BankAccountSchema.optional(),
}) satisfies z.ZodType<HouseholdInput, unknown>;
