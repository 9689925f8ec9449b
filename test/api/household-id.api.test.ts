import { createHmac } from 'node:crypto';
import { DEVELOPMENT_ID_HASH_KEY } from '../../src/config/config';
import { backfillSql } from '../../src/store/migrations/012-household-keys';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput, ID_KEY } from '../support/fixtures';

const SHIBAN = '522701101201';
const UUID = /^hh-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const reject = {
  stage: 'village_evaluation',
  decision: 'reject',
  reason: 'above the line',
  votes: { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 },
};

/**
 * Issue #8: `householdId` was the first 24 hex digits of HMAC(key, head's ID number), so with
 * the key known the full ID number came back from the id and the masked ID. It is random now;
 * the same household applying again still finds its id, through the keyed hash.
 */
describe('household ids: random, yet stable for the same household', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ ID_HASH_KEY: ID_KEY });
  });
  afterAll(() => api?.close());

  const apply = (household: ReturnType<typeof householdInput>) =>
    api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household } });

  it('is a random UUID that no hash of the ID number (under any key tried) gives', async () => {
    const household = householdInput();
    const first = await apply(household);
    expect(first.status).toBe(201);
    const id = first.body.case.householdId as string;
    expect(id).toMatch(UUID);
    const head = household.members[0].idNumber;
    for (const key of [ID_KEY, DEVELOPMENT_ID_HASH_KEY]) {
      const digest = createHmac('sha256', key).update(head).digest('hex');
      expect(digest).not.toContain(id.replace(/^hh-/, '').replace(/-/g, '').slice(0, 8));
      expect(id).not.toContain(digest.slice(0, 8));
    }
    // Another household with the same structure gets another id.
    expect((await apply(householdInput())).body.case.householdId).not.toBe(id);
  });

  it('an open case holds its household: the same head applying again is refused (found by the keyed hash)', async () => {
    const household = householdInput();
    expect((await apply(household)).status).toBe(201);
    const again = await apply({ ...household, requestedHelp: 'asked again' });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/household-has-case/);
  });

  it('re-entry after a rejection links to the same household id, and the registry lists both cases', async () => {
    const household = householdInput();
    const first = await apply(household);
    const householdId = first.body.case.householdId;
    expect((await api.call('POST', `/cases/${first.body.caseId}/decisions`, { as: 'village-shiban', body: reject })).body.status).toBe('rejected');
    // Same head, other members and facts: still the same household.
    const second = await apply({ ...household, members: [household.members[0]], annualIncomeFen: 90_000 });
    expect(second.status).toBe(201);
    expect(second.body.case).toMatchObject({ householdId, previousCaseId: first.body.caseId });
    const registry = await api.call('GET', `/households/${householdId}`, { as: 'town-heping' });
    expect(registry.body.cases.map((c: any) => c.caseId)).toEqual([first.body.caseId, second.body.caseId]);
  });

  it('households registered before keep their derived ids and are found again by their head (migration 010 backfill)', async () => {
    // A rejected household in the registry as the old code wrote it, id derived from the head's ID number.
    const household = householdInput();
    const idHash = createHmac('sha256', ID_KEY).update(household.members[0].idNumber).digest('hex');
    const oldId = `hh_${idHash.slice(0, 24)}`;
    const members = household.members.map(({ idNumber, ...m }) => ({
      ...m,
      idMasked: 'masked',
      idHash: createHmac('sha256', ID_KEY).update(idNumber).digest('hex'),
    }));
    await api.db.pool.query(
      `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at) VALUES ($1, $2, $3, $4, 'rejected', 'case-old', now())`,
      [oldId, SHIBAN, JSON.stringify(members), members.map((m) => m.idHash)],
    );
    await api.db.pool.query(backfillSql);
    await api.db.pool.query(backfillSql); // idempotent
    const r = await apply(household);
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({ householdId: oldId, previousCaseId: 'case-old' });
    expect((await api.call('GET', `/households/${oldId}`, { as: 'town-heping' })).status).toBe(200);
  });
});
