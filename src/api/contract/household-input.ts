import { z } from 'zod';
import { HEALTH, HOUSING_GRADES, POVERTY_CAUSES, type HouseholdInput } from '../../domain/household';
import { ageOn, checkResidentId, RESIDENT_ID_MESSAGES } from '../../domain/resident-id';
import { fen } from './money';
import { line, prose } from './text';

/**
 * A resident ID number checked to GB 11643-1999 (src/domain/resident-id.ts) as of the moment
 * the request is read; a lowercase x is kept as X.
 */
export const ResidentIdNumber = z
  .string()
  .superRefine((s, ctx) => {
    const r = checkResidentId(s, new Date());
    if (!r.ok) ctx.addIssue({ code: 'custom', message: RESIDENT_ID_MESSAGES[r.fault], abort: true });
  })
  .overwrite((s) => s.toUpperCase())
  .meta({
    pattern: '^\\d{17}[\\dXx]$',
    description:
      'an 18-character resident ID number (GB 11643-1999): region code, a real birth date not in the future, the check digit (X or x); kept uppercase',
  });

/** The age the ID number's birth date gives today (China time). */
const ageOf = (id: string): number | undefined => {
  const r = checkResidentId(id, new Date());
  return r.ok ? ageOn(r.birthDate, new Date()) : undefined;
};

export const MemberInputSchema = z
  .object({
    name: line(100),
    relation: line(40, 'relation to the head: head, spouse, child, parent, …'),
    idNumber: ResidentIdNumber,
    age: z.number().int().min(0).max(130).optional().describe('read from the ID number when left out; if given, it must be the age the ID number gives'),
    ableToWork: z.boolean(),
    health: z.enum(HEALTH),
  })
  .superRefine((m, ctx) => {
    const age = ageOf(m.idNumber);
    if (m.age !== undefined && age !== undefined && m.age !== age)
      ctx.addIssue({
        code: 'custom',
        path: ['age'],
        message: `年龄与身份证号的出生日期不符，应为 ${age} 岁 (the age disagrees with the ID number's birth date: it is ${age})`,
      });
  })
  .transform(({ age, ...m }) => ({ ...m, age: age ?? ageOf(m.idNumber) ?? 0 }));

export const BankAccountSchema = z.object({
  bank: line(100),
  accountNumber: z.string().regex(/^\d{8,30}$/, '8 to 30 digits'),
});

/** Each ID number that a household lists twice: both members are named. */
function refuseRepeatedIdNumbers(members: { idNumber: string }[], ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  members.forEach((m, i) => {
    const j = first.get(m.idNumber);
    if (j === undefined) return void first.set(m.idNumber, i);
    const message = (other: number) => `同一户中身份证号重复，与第 ${other + 1} 位成员相同 (the same ID number as member ${other + 1} of this household)`;
    ctx.addIssue({ code: 'custom', path: [j, 'idNumber'], message: message(i) });
    ctx.addIssue({ code: 'custom', path: [i, 'idNumber'], message: message(j) });
  });
}

/** A household as the applicant or village official enters it: POST /applications and every intake row. */
export const HouseholdInputSchema = z.object({
  members: z
    .array(MemberInputSchema)
    .min(1)
    .max(30)
    .refine((ms) => ms.filter((m) => m.relation === 'head').length === 1, 'exactly one member has relation "head"')
    .superRefine(refuseRepeatedIdNumbers),
  annualIncomeFen: fen('the household\'s net income last year, integer fen, written as an integer literal (1.0, 1e3 and "100" are refused)'),
  housingGrade: z.enum(HOUSING_GRADES),
  landMu: z.number().min(0).max(10_000).optional(),
  primaryCause: z.enum(POVERTY_CAUSES),
  secondaryCauses: z.array(z.enum(POVERTY_CAUSES)).max(6).default([]),
  requestedHelp: prose(2000),
  bankAccount: BankAccountSchema.optional(),
}) satisfies z.ZodType<HouseholdInput, unknown>;
