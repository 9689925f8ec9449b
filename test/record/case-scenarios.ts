import type { HouseholdInput } from '../../src/domain/household';
import type { ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { mustCall } from './recorder';

const SHIBAN = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const votesAgainst = { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 };

/** Identification cases driven through the HTTP API, as officials would (run the harness with a short PUBLICITY_PERIOD). */
export function caseScenarios(api: ApiHarness) {
  const decide = (caseId: string, as: string, body: Record<string, unknown>) => mustCall(api, 'POST', `/cases/${caseId}/decisions`, as, body);
  const caseView = (caseId: string) => mustCall(api, 'GET', `/cases/${caseId}`, 'county-office');
  const waitStage = (caseId: string, stage: string) => waitFor(async () => (await caseView(caseId)).stage === stage, 60_000);
  const apply = async (household: HouseholdInput): Promise<string> =>
    (await mustCall(api, 'POST', '/applications', 'village-shiban', { village: SHIBAN, household })).caseId;

  /** Town audit, town publicity (timer), county approval: returns the enrolled household's id. */
  async function fromTownAudit(caseId: string): Promise<string> {
    await waitStage(caseId, 'town_audit');
    await decide(caseId, 'town-heping', { stage: 'town_audit', decision: 'approve' });
    await waitStage(caseId, 'county_approval');
    const done = await decide(caseId, 'county-office', { stage: 'county_approval', decision: 'approve' });
    if (done.status !== 'enrolled') throw new Error(`case ${caseId} ended ${done.status}`);
    return done.householdId;
  }

  return {
    async enrol(household: HouseholdInput): Promise<{ caseId: string; householdId: string }> {
      const caseId = await apply(household);
      await decide(caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
      return { caseId, householdId: await fromTownAudit(caseId) };
    },

    /** An objection lodged in the village publicity holds the case past the period until it is resolved; then the town returns it once. */
    async enrolAfterObjectionAndReturn(household: HouseholdInput): Promise<{ caseId: string; householdId: string }> {
      const caseId = await apply(household);
      await decide(caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
      const objection = await mustCall(api, 'POST', `/cases/${caseId}/objections`, 'applicant-baiyun-1', {
        grounds: '测试异议 synthetic objection: undeclared income',
      });
      await waitFor(async () => (await caseView(caseId)).publicity?.ended === true, 60_000);
      await mustCall(api, 'POST', `/objections/${objection.objectionId}/resolution`, 'town-heping', {
        substantiated: false,
        finding: 'synthetic finding: not substantiated',
      });
      await decide(caseId, 'town-heping', { stage: 'town_audit', decision: 'return', reason: 'synthetic reason: re-check the income' });
      await decide(caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
      return { caseId, householdId: await fromTownAudit(caseId) };
    },

    async rejectAtVillage(household: HouseholdInput): Promise<string> {
      const caseId = await apply(household);
      await decide(caseId, 'village-shiban', {
        stage: 'village_evaluation',
        decision: 'reject',
        reason: 'synthetic reason: above the line',
        votes: votesAgainst,
      });
      return caseId;
    },

    /** Exit verification, exit publicity (timer), announcement: returns the exit case's id. */
    async exit(householdId: string): Promise<string> {
      const exit = await mustCall(api, 'POST', `/households/${householdId}/exit`, 'village-shiban', { reason: 'synthetic reason: income above the line' });
      await decide(exit.caseId, 'town-heping-2', { stage: 'exit_verification', decision: 'approve' });
      await waitStage(exit.caseId, 'exited');
      return exit.caseId;
    },
  };
}
