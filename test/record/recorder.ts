import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { HouseholdInput } from '../../src/domain/household';
import { ageOn, residentIdOf } from '../../src/domain/resident-id';
import type { ApiHarness } from '../support/api-harness';
import { saveHistory } from '../support/histories';

/**
 * Histories are committed, so everything in them is synthetic: names that say so, ID numbers
 * in region 990000 (no such region exists), bank accounts starting 9999.
 */
export const SYNTHETIC_ID_KEY = 'synthetic-replay-histories-key';
const idNumbers: string[] = [];

/** Household number `no` (1-9); an account ending 0000 is one the simulated bank refuses ("account closed"). */
export function syntheticHousehold(no: number, accountNumber: string): HouseholdInput {
  const head = residentIdOf('522701', '1980-01-01', no * 10 + 1);
  const spouse = residentIdOf('522701', '1982-02-02', no * 10 + 2);
  idNumbers.push(head, spouse);
  return {
    members: [
      {
        name: `测试户${no} Test Household ${no}`,
        relation: 'head',
        idNumber: head,
        age: ageOn('1980-01-01', new Date()),
        ableToWork: true,
        health: 'chronic_illness',
      },
      {
        name: `测试成员${no} Test Member ${no}`,
        relation: 'spouse',
        idNumber: spouse,
        age: ageOn('1982-02-02', new Date()),
        ableToWork: false,
        health: 'serious_illness',
      },
    ],
    annualIncomeFen: 200_000,
    housingGrade: 'C',
    primaryCause: 'illness',
    secondaryCauses: [],
    requestedHelp: 'synthetic request for replay tests',
    bankAccount: { bank: 'Synthetic Test Bank', accountNumber },
  };
}

/** An API call that must succeed: a recording of a path that went wrong is worse than none. */
export async function mustCall(api: ApiHarness, method: string, path: string, as: string, body?: unknown): Promise<any> {
  const r = await api.call(method, path, { as, body });
  if (r.status >= 300) throw new Error(`${method} ${path} as ${as}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * Waits for the workflow to complete (so replay also checks how it ends), then writes its
 * history to test/histories/<workflowType>/<scenario>.json. Runs the latest run of the id.
 */
export async function record(api: ApiHarness, workflowId: string, scenario: string): Promise<string> {
  const handle = api.env.client.workflow.getHandle(workflowId);
  await handle.result();
  const file = saveHistory(await handle.fetchHistory(), scenario);
  // Intake hashes ID numbers before they reach a workflow; make sure that stays so here.
  const text = readFileSync(file, 'utf8');
  const leaked = idNumbers.filter((id) => text.includes(id));
  if (leaked.length > 0) throw new Error(`${file} contains raw ID numbers ${leaked.join(', ')}`);
  if (text.includes(`${process.pid}@${hostname()}`)) throw new Error(`${file} names this machine (pid@host)`);
  return file;
}
