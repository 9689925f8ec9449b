import type { HouseholdInput } from '../../src/domain/household';
import type { ApiHarness } from './api-harness';
import { waitFor } from './case-harness';
import { householdInput } from './fixtures';

const SHIBAN = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/**
 * Takes a Shiban household through the whole identification procedure via the API (run the
 * harness with a short PUBLICITY_PERIOD) and returns its household id, enrolled. `applicant`
 * files the application: the village official on the household's behalf, or the household's
 * own applicant account (which then speaks for it: its loans, its signature).
 */
export async function enrolHousehold(api: ApiHarness, account: string, household: Partial<HouseholdInput> = {}, applicant = 'village-shiban'): Promise<string> {
  const r = await api.call('POST', '/applications', {
    as: applicant,
    body: { village: SHIBAN, household: householdInput({ ...household, bankAccount: { bank: 'RCC', accountNumber: account } }) },
  });
  const id = r.body.caseId;
  await api.call('POST', `/cases/${id}/decisions`, { as: 'village-shiban', body: { stage: 'village_evaluation', decision: 'approve', votes } });
  const at = async (stage: string) => (await api.call('GET', `/cases/${id}`, { as: 'county-office' })).body.stage === stage;
  await waitFor(() => at('town_audit'), 30_000);
  await api.call('POST', `/cases/${id}/decisions`, { as: 'town-heping', body: { stage: 'town_audit', decision: 'approve' } });
  await waitFor(() => at('county_approval'), 30_000);
  const done = await api.call('POST', `/cases/${id}/decisions`, { as: 'county-office', body: { stage: 'county_approval', decision: 'approve' } });
  if (done.body.status !== 'enrolled') throw new Error(`enrolment ended ${done.status} ${JSON.stringify(done.body)}`);
  return done.body.householdId;
}
