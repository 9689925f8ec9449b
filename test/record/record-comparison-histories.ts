/**
 * Records the histories of the comparison step (patch `comparison-queries`) for
 * test/workflows/replay.test.ts: a list that hits an open case (the case's query raised by a
 * signal), a list imported before a household applies (the query raised as the case reaches
 * town audit), one query cleared and the case enrolled, one confirmed and the case rejected.
 * Run by `npm run record-histories` with the others. Everything is synthetic.
 */
import { readFileSync } from 'node:fs';
import type { HouseholdInput } from '../../src/domain/household';
import { referenceListComparisonWorkflowId } from '../../src/workflows/reference-list-comparison';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { mustCall, record, syntheticHousehold, SYNTHETIC_ID_KEY } from './recorder';

const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/** A synthetic household (valid ID numbers: a reference list refuses any other). */
const checkedHousehold = (no: number): HouseholdInput => syntheticHousehold(no, `99990000${no}${no}${no}${no}2222`);

describe('record comparison histories into test/histories', () => {
  let api: ApiHarness;
  const plain: string[] = [];
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT3S', ID_HASH_KEY: SYNTHETIC_ID_KEY });
  }, 60_000);
  afterAll(() => api?.close());

  const caseView = (caseId: string) => mustCall(api, 'GET', `/cases/${caseId}`, 'county-office');
  const apply = async (household: HouseholdInput): Promise<string> => {
    plain.push(...household.members.map((m) => m.idNumber));
    return (await mustCall(api, 'POST', '/applications', 'village-shiban', { village: '522701101201', household })).caseId;
  };
  async function toTownAudit(caseId: string) {
    await mustCall(api, 'POST', `/cases/${caseId}/decisions`, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    await waitFor(async () => (await caseView(caseId)).stage === 'town_audit', 60_000);
  }
  async function importList(source: string, idNumbers: string[]): Promise<string> {
    const list = await mustCall(api, 'POST', `/reference-lists?source=${source}&date=2026-12-01`, 'county-office', { idNumbers });
    await waitFor(async () => (await mustCall(api, 'GET', `/reference-lists/${list.listId}`, 'county-office')).comparison !== null, 60_000);
    return list.listId;
  }
  async function recordClean(workflowId: string, scenario: string) {
    const file = await record(api, workflowId, scenario);
    const text = readFileSync(file, 'utf8');
    const leaked = plain.filter((id) => text.includes(id));
    if (leaked.length > 0) throw new Error(`${file} contains raw ID numbers`);
  }

  it('a list hits an open case; confirmed, the case is rejected', async () => {
    const household = checkedHousehold(7);
    const caseId = await apply(household);
    const listId = await importList('deaths', [household.members[1].idNumber]);
    await recordClean(referenceListComparisonWorkflowId(listId), 'hit-open-case');
    await toTownAudit(caseId);
    const [query] = (await caseView(caseId)).queries;
    await mustCall(api, 'POST', `/cases/${caseId}/queries/${query.queryId}/resolution`, 'town-heping', {
      outcome: 'confirmed',
      reason: 'synthetic finding: confirmed',
    });
    await recordClean(caseId, 'comparison-confirmed-rejected.local-steps');
  }, 180_000);

  it('a list imported before the household applies; the query is raised at town audit, cleared, and the case enrolled', async () => {
    const household = checkedHousehold(8);
    await importList('vehicles', [household.members[0].idNumber]);
    const caseId = await apply(household);
    await toTownAudit(caseId);
    const [query] = (await caseView(caseId)).queries;
    await mustCall(api, 'POST', `/cases/${caseId}/queries/${query.queryId}/resolution`, 'town-heping', {
      outcome: 'cleared',
      reason: 'synthetic finding: a namesake',
    });
    await mustCall(api, 'POST', `/cases/${caseId}/decisions`, 'town-heping', { stage: 'town_audit', decision: 'approve' });
    await waitFor(async () => (await caseView(caseId)).stage === 'county_approval', 60_000);
    const done = await mustCall(api, 'POST', `/cases/${caseId}/decisions`, 'county-office', { stage: 'county_approval', decision: 'approve' });
    if (done.status !== 'enrolled') throw new Error(`case ${caseId} ended ${done.status}`);
    await recordClean(caseId, 'comparison-cleared-enrolled.local-steps');
  }, 180_000);
});
