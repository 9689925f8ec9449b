import { randomUUID } from 'node:crypto';
import type { CasePolicy } from '../../src/domain/case';
import type { HouseholdInput, MemberInput } from '../../src/domain/household';
import { ageOn, checkResidentId, nthResidentId } from '../../src/domain/resident-id';
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
 * Distinct, valid ID numbers for every household a test process makes: a random start, then one
 * step per person (src/domain/resident-id.ts nthResidentId), spread over 30 county codes, birth dates and sequence numbers (about 6 × 10⁸
 * of them), each with its real check digit. Two test files share one database, and one person
 * belongs to one household only: a number drawn twice would refuse the second application.
 */
let serial = Math.floor(Math.random() * 3e8);
export const personIdNumber = (u = ++serial * 2): string => nthResidentId(COUNTY, u % 580_000_000);

/** The age an ID number gives today (what the API reads from it). */
export function ageOf(idNumber: string): number {
  const r = checkResidentId(idNumber, new Date());
  if (!r.ok) throw new Error(`not a valid ID number: ${r.fault}`);
  return ageOn(r.birthDate, new Date());
}

/** A member with a fresh valid ID number and the age it gives. */
export function memberInput(name: string, relation: string, m: Partial<MemberInput> = {}): MemberInput {
  const idNumber = m.idNumber ?? personIdNumber();
  return { name, relation, idNumber, age: ageOf(idNumber), ableToWork: true, health: 'healthy', ...m };
}

/** A plausible household; each call gets distinct ID numbers. */
export function householdInput(overrides: Partial<HouseholdInput> = {}): HouseholdInput {
  const u = ++serial * 2;
  return {
    members: [
      memberInput('Zhang San', 'head', { idNumber: personIdNumber(u), health: 'chronic_illness' }),
      memberInput('Li Si', 'spouse', { idNumber: personIdNumber(u + 1), ableToWork: false, health: 'serious_illness' }),
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
