import { randomUUID } from 'node:crypto';
import type { CasePolicy } from '../../src/domain/case';
import type { HouseholdInput } from '../../src/domain/household';
import { locationOf } from '../../src/domain/jurisdiction';
import type { Actor } from '../../src/domain/roles';
import { householdHash, intakeHousehold, newHouseholdId } from '../../src/store/household-intake';
import { testPayloadKeys } from './temporal';
import type { SubmitInput } from '../../src/workflows/identification-case';

export const ID_KEY = 'test-id-hash-key-0123456789';
export const VILLAGE = '522701101201';
export const OTHER_VILLAGE = '522701101202';
export const TOWN = '522701101';
export const OTHER_TOWN = '522701102';
export const COUNTY = '522701';

export const actor = (userId: string, role: Actor['role'], jurisdiction: string): Actor => ({ userId, role, jurisdiction });
export const applicant = actor('u-applicant', 'applicant', VILLAGE);
export const villageOfficial = actor('u-village', 'village_official', VILLAGE);
export const villageOfficial2 = actor('u-village-2', 'village_official', VILLAGE);
export const townOfficial = actor('u-town', 'town_official', TOWN);
export const countyOfficial = actor('u-county', 'county_official', COUNTY);

/**
 * Distinct ID numbers for every household a test process makes: a random start, then one step
 * per household, spread over birth dates and sequence numbers (about 2 × 10⁸ of them). Only the
 * last four digits used to vary, so two households of one test file shared a head one time in
 * a few dozen, and the second application was refused as the same household.
 */
let serial = Math.floor(Math.random() * 1e8);
function idNumber(u: number, yearsLater = 0): string {
  const seq = String(u % 10_000).padStart(4, '0');
  const rest = Math.floor(u / 10_000);
  const day = String((rest % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(rest / 28) % 12) + 1).padStart(2, '0');
  const year = 1940 + (Math.floor(rest / 336) % 58) + yearsLater;
  return `522701${year}${month}${day}${seq}`;
}

/** A plausible household; each call gets distinct ID numbers. */
export function householdInput(overrides: Partial<HouseholdInput> = {}): HouseholdInput {
  const u = ++serial;
  return {
    members: [
      { name: 'Zhang San', relation: 'head', idNumber: idNumber(u), age: 56, ableToWork: true, health: 'chronic_illness' },
      { name: 'Li Si', relation: 'spouse', idNumber: idNumber(u, 2), age: 54, ableToWork: false, health: 'serious_illness' },
    ],
    annualIncomeFen: 210_000,
    housingGrade: 'C',
    primaryCause: 'illness',
    secondaryCauses: ['lack_of_skilled_labour'],
    requestedHelp: 'medical top-up and one head of cattle',
    ...overrides,
  };
}

export const policy: CasePolicy = { publicityPeriod: 'P7D', stageTimeLimit: 'P15D' };

export function submitInput(by: Actor = applicant, village = VILLAGE): SubmitInput {
  const household = intakeHousehold(householdInput(), ID_KEY, testPayloadKeys());
  return {
    type: 'Submit',
    caseId: `case-${randomUUID()}`,
    householdId: newHouseholdId(),
    applicantId: by.role === 'applicant' ? by.userId : `on-behalf:${by.userId}`,
    location: locationOf(village),
    household,
    householdHash: householdHash(household),
    policy,
    actor: by,
  };
}

export const goodVotes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
