import { z } from 'zod';
import { STAGES } from '../../domain/case/stages';
import { CASE_STATUSES } from '../../domain/case/types';
import { HOUSEHOLD_ID_PATTERN, HOUSING_GRADES, POVERTY_CAUSES } from '../../domain/household';
import { prose } from './text';

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
