import { randomUUID } from 'node:crypto';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { enrolHousehold } from '../support/enrol';
import { waitFor } from '../support/case-harness';
import { householdInput, memberInput } from '../support/fixtures';
import { hashIdNumber } from '../../src/store/household-intake';

const SHIBAN = '522701101201';
const YANGLIU = '522701101202';
const ID_KEY = 'member-transfer-cases-test-key';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/**
 * A member transfer is a correction every later read and step respects: the open case of either
 * household records it (its household, and the householdHash decisions pin), and an exit of an
 * enrolled household starts from the registry's members, not from its closed case's copy.
 */
describe('a member transfer holds through the households’ later case steps', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT2S', ID_HASH_KEY: ID_KEY });
  }, 120_000);
  afterAll(() => api?.close());

  const transfer = (from: string, body: unknown, headers: Record<string, string> = {}) =>
    api.call('POST', `/households/${from}/members/transfer`, { as: 'town-heping', body, headers });
  const household = (id: string) => api.call('GET', `/households/${id}`, { as: 'county-office' });
  const names = (members: { name: string }[]) => members.map((m) => m.name).sort();
  const getCase = (id: string) => api.call('GET', `/cases/${id}`, { as: 'county-office' });
  const claimOf = async (idNumber: string) =>
    (await api.db.pool.query('SELECT household_id FROM household_members WHERE id_hash = $1', [hashIdNumber(idNumber, ID_KEY)])).rows[0]?.household_id;

  it('an exit of the household left neither lists the moved person again nor frees them; the open case joined lists them', async () => {
    const bride = memberInput('Li Xiaomei', 'child');
    const base = householdInput();
    const fromId = await enrolHousehold(api, '6217000010001234567', { members: [...base.members, bride] });
    const applying = householdInput();
    const joined = await api.call('POST', '/applications', { as: 'village-yangliu', body: { village: YANGLIU, household: applying } });
    expect(joined.status).toBe(201);
    const toId = joined.body.case.householdId as string;
    const toCaseId = joined.body.caseId as string;

    const moved = await transfer(fromId, { idNumber: bride.idNumber, toHouseholdId: toId, relation: 'daughter-in-law', reason: 'married into Yangliu' });
    expect(moved.status).toBe(201);

    // The open case of the household joined holds her, with a new householdHash.
    const toCase = (await getCase(toCaseId)).body;
    expect(names(toCase.household.members)).toEqual(names([...applying.members, bride]));
    expect(toCase.householdHash).not.toBe(joined.body.case.householdHash);

    const exit = await api.call('POST', `/households/${fromId}/exit`, { as: 'village-shiban', body: { reason: 'income above the line two years running' } });
    expect(exit.status).toBe(201);
    expect(names(exit.body.case.household.members)).toEqual(names(base.members));
    expect(names((await household(fromId)).body.members)).toEqual(names(base.members));
    expect(names((await household(toId)).body.members)).toEqual(names([...applying.members, bride]));

    const verified = await api.call('POST', `/cases/${exit.body.caseId}/decisions`, {
      as: 'town-heping-2',
      body: { stage: 'exit_verification', decision: 'approve', householdHash: exit.body.case.householdHash },
    });
    expect(verified.body.stage).toBe('exit_publicity');
    await waitFor(async () => (await household(fromId)).body.status === 'exited', 30_000);

    const left = (await household(fromId)).body;
    expect(names(left.members)).toEqual(names(base.members));
    expect(names((await household(toId)).body.members)).toEqual(names([...applying.members, bride]));
    expect(names((await getCase(exit.body.caseId)).body.household.members)).toEqual(names(base.members));
    // She stays the joined household's; the members the exited household kept are free to apply again.
    expect(await claimOf(bride.idNumber)).toBe(toId);
    expect(await claimOf(base.members[1].idNumber)).toBe(fromId);
    const naming = (m: ReturnType<typeof memberInput>) =>
      api.call('POST', '/applications', {
        as: 'village-shiban',
        body: { village: SHIBAN, household: householdInput({ members: [householdInput().members[0], { ...m, relation: 'spouse' }] }) },
      });
    expect((await naming(bride)).status).toBe(409);
    expect((await naming(base.members[1])).status).toBe(201);
  }, 120_000);

  it('refuses a decision pinned to the householdHash read before a transfer (409); the corrected hash decides', async () => {
    const nephew = memberInput('Zhao Xiaogang', 'child');
    const applying = householdInput();
    applying.members.push(nephew);
    const from = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: applying } });
    const to = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    expect([from.status, to.status]).toEqual([201, 201]);
    const caseId = from.body.caseId as string;
    const stale = from.body.case.householdHash as string;

    const key = { 'Idempotency-Key': `transfer-${randomUUID()}` };
    const body = { idNumber: nephew.idNumber, toHouseholdId: to.body.case.householdId, relation: 'nephew', reason: 'household divided' };
    const moved = await transfer(from.body.case.householdId, body, key);
    expect(moved.status).toBe(201);
    // Asked again after its answer was lost (a server error's answer is not kept): the same answer, recorded once.
    await api.db.pool.query('DELETE FROM idempotency_keys WHERE key = $1', [key['Idempotency-Key']]);
    const again = await transfer(from.body.case.householdId, body, key);
    expect([again.status, again.body.transferId]).toEqual([201, moved.body.transferId]);
    const corrections = await api.db.pool.query("SELECT data->>'transferId' AS t FROM events WHERE stream_id = $1 AND type = 'HouseholdCorrected'", [caseId]);
    expect(corrections.rows).toEqual([{ t: moved.body.transferId }]);
    const corrected = (await getCase(caseId)).body;
    expect(names(corrected.household.members)).toEqual(names(applying.members.filter((m) => m !== nephew)));
    expect(corrected.householdHash).not.toBe(stale);

    const decide = (householdHash: string) =>
      api.call('POST', `/cases/${caseId}/decisions`, {
        as: 'village-shiban',
        body: { stage: 'village_evaluation', decision: 'approve', votes, householdHash },
      });
    const refused = await decide(stale);
    expect(refused.status).toBe(409);
    expect((await getCase(caseId)).body.stage).toBe('village_evaluation');
    const approved = await decide(corrected.householdHash);
    expect(approved.status).toBeLessThan(300);
    await waitFor(async () => (await getCase(caseId)).body.stage === 'town_audit', 30_000);
    // The step after the transfer writes the registry from the corrected case: he is listed only where he went.
    expect(names((await household(from.body.case.householdId)).body.members)).toEqual(names(applying.members.filter((m) => m !== nephew)));
    expect(names((await household(to.body.case.householdId)).body.members)).toContain(nephew.name);
  }, 120_000);
});
