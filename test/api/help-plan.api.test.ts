import { apiHarness, type ApiHarness } from '../support/api-harness';
import { enrolHousehold } from '../support/enrol';

const key = () => ({ 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` });
const account = () => `62284801${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

const plan = (inChargeUserId = 'helper-li') => ({
  survey: { familySituation: '户主患慢性病，配偶丧失劳动力', cause: 'illness', routeOut: '发展养牛产业', expectedEffect: '两年内人均收入超过标准' },
  measures: [
    { kind: 'industry_support', description: '能繁母牛一头', moneyFen: 110_000 },
    { kind: 'medical_top_up', description: '医疗补充报销', moneyFen: 50_000 },
  ],
  fundIds: [],
  helpingUnit: { name: '县农业农村局', inChargeUserId },
});

/** Issue #13, item 3 through the API: who may draft, read and sign a household's help plan, and what is refused. */
describe('help plans through the API', () => {
  let api: ApiHarness;
  let householdId: string;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    householdId = await enrolHousehold(api, account());
    await api.call('POST', '/helpers', { as: 'county-office', body: { userId: 'helper-li', rank: 'cadre', unit: '县农业农村局' } });
    await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId, helperId: 'helper-li' } });
  }, 240_000);
  afterAll(async () => {
    await api?.close();
  });

  const planEvents = async () => Number((await api.db.pool.query('SELECT count(*) FROM events WHERE stream_id = $1', [`plan-${householdId}`])).rows[0].count);

  it('refuses bad plans naming the field, and other places and roles, writing nothing', async () => {
    const path = `/households/${householdId}/help-plan`;
    const cases: [unknown, string][] = [
      [{ ...plan(), survey: { ...plan().survey, familySituation: 'a\u0000b' } }, 'body.survey.familySituation'],
      [{ ...plan(), measures: [{ kind: 'training', description: 'x', moneyFen: 10.5 }] }, 'body.measures.0.moneyFen'],
      [{ ...plan(), measures: [{ kind: 'training', description: 'x', moneyFen: -1 }] }, 'body.measures.0.moneyFen'],
      [{ ...plan(), measures: [] }, 'body.measures'],
      [{ ...plan(), survey: { ...plan().survey, cause: 'laziness' } }, 'body.survey.cause'],
      [{ ...plan(), fundIds: ['nope'] }, 'body.fundIds.0'],
      [{ ...plan(), survey: { ...plan().survey, routeOut: 'x'.repeat(2001) } }, 'body.survey.routeOut'],
    ];
    for (const [body, field] of cases) {
      const r = await api.call('POST', path, { as: 'village-shiban', headers: key(), body });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, field]);
    }
    const unknownFund = await api.call('POST', path, {
      as: 'village-shiban',
      headers: key(),
      body: { ...plan(), fundIds: ['fund-00000000-0000-4000-8000-000000000000'] },
    });
    expect([unknownFund.status, unknownFund.body.errors?.[0]?.path]).toEqual([422, 'body.fundIds.0']);
    const unknownSigner = await api.call('POST', path, { as: 'village-shiban', headers: key(), body: plan('county-office') });
    expect([unknownSigner.status, unknownSigner.body.errors?.[0]?.path]).toEqual([422, 'body.helpingUnit.inChargeUserId']);
    expect((await api.call('POST', path, { as: 'village-baiyun', headers: key(), body: plan() })).status).toBe(403);
    expect((await api.call('POST', path, { as: 'town-dongfeng', headers: key(), body: plan() })).status).toBe(403);
    expect((await api.call('POST', path, { as: 'helper-zhao', headers: key(), body: plan() })).status).toBe(403);
    expect((await api.call('POST', path, { as: 'county-office', headers: key(), body: plan() })).status).toBe(403);
    expect((await api.call('GET', path, { as: 'supervisor' })).status).toBe(404);
    expect(await planEvents()).toBe(0);
  });

  it('drafts, signs with the hash read, refuses a stale hash with 409, and takes effect with the third signature', async () => {
    const path = `/households/${householdId}/help-plan`;
    const headers = key();
    const drafted = await api.call('POST', path, { as: 'helper-li', headers, body: plan() });
    expect(drafted.status).toBe(200);
    expect(drafted.body).toMatchObject({ planVersion: 1, status: 'draft', moneyNeededFen: 160_000, missing: ['town', 'village', 'unit'] });
    const again = await api.call('POST', path, { as: 'helper-li', headers, body: plan() });
    expect(again.body.planHash).toBe(drafted.body.planHash);
    const hash = drafted.body.planHash;

    const sign = (as: string, party: string, planHash = hash) => api.call('POST', `${path}/signatures`, { as, headers: key(), body: { party, planHash } });
    expect((await sign('village-shiban', 'village')).status).toBe(200);
    expect((await sign('village-yangliu', 'village')).status).toBe(403); // another village's person in charge
    expect((await sign('town-dongfeng', 'town')).status).toBe(403);
    expect((await sign('helper-zhao', 'unit')).status).toBe(403); // not the unit named in the plan
    const bad = await api.call('POST', `${path}/signatures`, { as: 'town-heping', headers: key(), body: { party: 'mayor', planHash: 'x' } });
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.party', 'body.planHash']);

    // The helper changes the plan: the village's signature is void, and signing the old hash is stale.
    const changed = await api.call('POST', path, {
      as: 'helper-li',
      headers: key(),
      body: { ...plan(), fundIds: [] as string[], measures: [plan().measures[0]] },
    });
    expect(changed.body).toMatchObject({ planVersion: 2, signatures: [], missing: ['town', 'village', 'unit'] });
    const stale = await sign('town-heping', 'town', hash);
    expect(stale.status).toBe(409);
    expect(stale.body.type).toMatch(/stale-plan/);

    const current = changed.body.planHash;
    await sign('helper-li', 'unit', current);
    await sign('village-shiban', 'village', current);
    const done = await sign('town-heping', 'town', current);
    expect(done.body).toMatchObject({ status: 'effective', missing: [] });
    const read = await api.call('GET', path, { as: 'auditor' });
    expect(read.body).toMatchObject({ status: 'effective', planHash: current, planVersion: 2 });
    expect((await api.call('GET', path, { as: 'helper-zhao' })).status).toBe(403);
    expect((await api.db.pool.query('SELECT status FROM help_plans WHERE household_id = $1', [householdId])).rows[0].status).toBe('effective');
  });
});
