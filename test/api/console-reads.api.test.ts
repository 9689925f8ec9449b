import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/** The two reads the web console adds: an applicant's own cases, and a village's publicity notice. */
describe('console reads through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'P7D' });
  });
  afterAll(() => api?.close());

  it("GET /my/cases: an applicant's own cases, newest first, and nobody else's", async () => {
    const first = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: SHIBAN, household: householdInput() } });
    const second = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: SHIBAN, household: householdInput() } });
    const onBehalf = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    expect([first.status, second.status, onBehalf.status]).toEqual([201, 201, 201]);

    const mine = await api.call('GET', '/my/cases', { as: 'applicant-shiban-1' });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([second.body.caseId, first.body.caseId]);
    expect(mine.body.items[0]).toMatchObject({ stage: 'village_evaluation', status: 'open', pendingTask: { kind: 'decision' } });
    expect(JSON.stringify(mine.body)).not.toMatch(/\d{17}[\dX]/); // ID numbers only masked

    const paged = await api.call('GET', '/my/cases?limit=1', { as: 'applicant-shiban-1' });
    expect(paged.body.items).toHaveLength(1);
    const rest = await api.call('GET', `/my/cases?limit=1&cursor=${encodeURIComponent(paged.body.nextCursor)}`, { as: 'applicant-shiban-1' });
    expect(rest.body.items[0].caseId).toBe(first.body.caseId);

    expect((await api.call('GET', '/my/cases', { as: 'applicant-baiyun-1' })).body.items).toEqual([]);
    expect((await api.call('GET', '/my/cases', { as: 'village-shiban' })).status).toBe(403);
    expect((await api.call('GET', '/my/cases?limit=0', { as: 'applicant-shiban-1' })).body.errors[0].path).toBe('query.limit');
  });

  it("GET /publicity/{village}: the village's households in a publicity period, masked, to its residents and officials above", async () => {
    const household = householdInput();
    const c = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household } });
    const decided = await api.call('POST', `/cases/${c.body.caseId}/decisions`, {
      as: 'village-shiban',
      body: { stage: 'village_evaluation', decision: 'approve', votes, householdHash: c.body.case.householdHash },
    });
    expect(decided.body.stage).toBe('village_publicity');

    const notice = await api.call('GET', `/publicity/${SHIBAN}?stage=village_publicity`, { as: 'applicant-shiban-1' });
    expect(notice.status).toBe(200);
    expect(notice.body).toMatchObject({ village: { code: SHIBAN, name: 'Shiban Village' }, town: { name: 'Heping Town' }, stage: 'village_publicity' });
    const item = notice.body.items.find((i: { caseId: string }) => i.caseId === c.body.caseId);
    expect(item).toMatchObject({ ended: false, openObjections: 0, endsAt: decided.body.publicity.endsAt });
    expect(item.members.map((m: { name: string }) => m.name)).toEqual(household.members.map((m) => m.name));
    for (const [i, m] of item.members.entries()) {
      expect(m.idMasked).not.toBe(household.members[i].idNumber);
      expect(Object.keys(m).sort()).toEqual(['idMasked', 'name', 'relation']); // nothing else of the household
    }
    // Only cases in that period: the ones still at the appraisal are not on it.
    expect(notice.body.items.every((i: { caseId: string }) => i.caseId === c.body.caseId)).toBe(true);

    await api.call('POST', `/cases/${c.body.caseId}/objections`, { as: 'applicant-shiban-1', body: { grounds: 'they own a shop' } });
    const after = await api.call('GET', `/publicity/${SHIBAN}?stage=village_publicity`, { as: 'town-heping' });
    expect(after.body.items.find((i: { caseId: string }) => i.caseId === c.body.caseId).openObjections).toBe(1);

    expect((await api.call('GET', `/publicity/${SHIBAN}?stage=village_publicity`, { as: 'applicant-baiyun-1' })).status).toBe(403);
    expect((await api.call('GET', `/publicity/${SHIBAN}?stage=village_publicity`, { as: 'village-yangliu' })).status).toBe(403);
    expect((await api.call('GET', `/publicity/${SHIBAN}?stage=town_audit`, { as: 'village-shiban' })).body.errors[0].path).toBe('query.stage');
    expect((await api.call('GET', `/publicity/${SHIBAN}?stage=village_publicity`, { as: 'operator' })).status).toBe(403);
  });
});
