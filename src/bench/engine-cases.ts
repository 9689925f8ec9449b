import { nthResidentId } from '../domain/resident-id';
import type { EngineApi } from './clients';

/** The demo villages and their committees (src/directory/demo-directory.ts), applications spread over them. */
const VILLAGES = [
  ['522701101201', 'village-shiban'],
  ['522701101202', 'village-yangliu'],
  ['522701102201', 'village-baiyun'],
  ['522701102202', 'village-huangni'],
] as const;

/** An open case at village evaluation, and what deciding it needs. */
export interface OpenCase {
  caseId: string;
  official: string;
  householdHash: string;
}

let households = 0;

/** POST /applications for a new household (a distinct head each time), by its village's committee. */
export async function apply(api: EngineApi): Promise<OpenCase> {
  const n = ++households;
  const [village, official] = VILLAGES[n % VILLAGES.length];
  const idNumber = nthResidentId('522701', n);
  const res = await api.call<{ caseId: string; case: { householdHash: string } }>('POST', '/applications', official, {
    village,
    household: {
      members: [{ name: `Bench ${n}`, relation: 'head', idNumber, ableToWork: true, health: 'healthy' }],
      annualIncomeFen: 310_000,
      housingGrade: 'C',
      primaryCause: 'illness',
      secondaryCauses: [],
      requestedHelp: 'one head of cattle',
      bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: `62284800${String(n).padStart(8, '0')}` },
    },
  });
  return { caseId: res.caseId, official, householdHash: res.case.householdHash };
}

/** The village assembly's approval: the case moves on to publicity (and stays open). */
export async function decide(api: EngineApi, c: OpenCase): Promise<void> {
  await api.call('POST', `/cases/${c.caseId}/decisions`, c.official, {
    stage: 'village_evaluation',
    decision: 'approve',
    reason: 'recommended by the assembly',
    votes: { representatives: 21, present: 19, for: 16, against: 2, abstain: 1 },
    householdHash: c.householdHash,
  });
}
