import { z } from 'zod';
import { STAGES } from '../../domain/case/stages';
import { CASE_STATUSES } from '../../domain/case/types';
import { HOUSEHOLD_ID_PATTERN, HOUSING_GRADES, POVERTY_CAUSES } from '../../domain/household';
import { ResidentIdNumber } from './household-input';
import { line, prose } from './text';

export const HouseholdIdParams = z.object({ householdId: z.string().regex(HOUSEHOLD_ID_PATTERN, 'a household id') });

export const ExitBody = z.object({
  reason: prose(4000, { description: 'what verification found: income, housing, the route out of poverty' }),
});

export const HouseholdView = z.object({
  householdId: z.string(),
  village: z.string(),
  status: z.enum(['applying', 'enrolled', 'rejected', 'exited']),
  currentCaseId: z.string(),
  housingGrade: z.enum(HOUSING_GRADES).nullable(),
  annualIncomeFen: z.number().int().nullable(),
  primaryCause: z.enum(POVERTY_CAUSES).nullable(),
  secondaryCauses: z.array(z.enum(POVERTY_CAUSES)),
  members: z.array(
    z.object({ name: z.string(), relation: z.string(), idMasked: z.string(), age: z.number().int(), ableToWork: z.boolean(), health: z.string() }),
  ),
  cases: z.array(
    z.object({ caseId: z.string(), procedure: z.enum(['entry', 'exit']), stage: z.enum(STAGES), status: z.enum(CASE_STATUSES), openedAt: z.string() }),
  ),
});

export const MemberTransferBody = z.object({
  idNumber: ResidentIdNumber.describe('the resident ID number of the member who moves (kept only as a keyed hash)'),
  toHouseholdId: HouseholdIdParams.shape.householdId.describe('the applying or enrolled household the member joins'),
  relation: line(40, "the member's relation to the head of the household joined: spouse, child, parent, …"),
  reason: prose(2000, { description: 'why: a marriage, a household divided, a registration corrected' }),
});

export const MemberTransferView = z.object({
  transferId: z.string(),
  fromHouseholdId: z.string(),
  toHouseholdId: z.string(),
  member: z.object({ idMasked: z.string(), relation: z.string() }),
});
