import { upsertUsers } from '../../src/directory/directory';
import { newToken } from '../../src/directory/tokens';
import { apiHarness, type ApiHarness } from '../support/api-harness';

/** GET /funds on real Postgres: the funds a reader may open (jurisdictions overlapping), paged, with balances. */
describe('GET /funds', () => {
  let api: ApiHarness;
  const ids: Record<string, string> = {};
  const account = () => `6228${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  const fundIds = (r: { body: { items: { fundId: string }[] } }) => r.body.items.map((f) => f.fundId);

  beforeAll(async () => {
    api = await apiHarness();
    // A cashier of Dongfeng town: reads the county's funds and Dongfeng's, not Heping's.
    api.tokens['cashier-dongfeng'] = newToken();
    await upsertUsers(api.db.pool, [
      { userId: 'cashier-dongfeng', name: 'Dongfeng cashier', role: 'cashier', jurisdiction: '522701102', token: api.tokens['cashier-dongfeng'] },
    ]);
    for (const [name, jurisdiction] of [
      ['county', '522701'],
      ['heping', '522701101'],
      ['dongfeng', '522701102'],
    ]) {
      const f = await api.call('POST', '/funds', { as: 'fund-manager', body: { name: `${name} fund`, jurisdiction, account: account() } });
      expect(f.status).toBe(201);
      ids[name] = f.body.fundId;
    }
    const d = await api.call('POST', `/funds/${ids.dongfeng}/deposits`, {
      as: 'fund-manager',
      body: { amountFen: 250_000, source: 'donation', reference: 'donation 2026-3' },
    });
    expect(d.status).toBe(201);
  });
  afterAll(() => api?.close());

  it('lists every fund within or above the reader, oldest first, with balances', async () => {
    const all = await api.call('GET', '/funds', { as: 'auditor' });
    expect(all.status).toBe(200);
    expect(fundIds(all)).toEqual([ids.county, ids.heping, ids.dongfeng]);
    expect(all.body.items[2]).toEqual({
      fundId: ids.dongfeng,
      name: 'dongfeng fund',
      jurisdiction: '522701102',
      currency: 'CNY',
      balances: { depositedFen: 250_000, availableFen: 250_000, reservedFen: 0, paidFen: 0 },
    });
    expect(all.body.nextCursor).toBeNull();
  });

  it("keeps another town's fund from a town's reader, as GET /funds/{fundId} does", async () => {
    const town = await api.call('GET', '/funds', { as: 'cashier-dongfeng' });
    expect(fundIds(town)).toEqual([ids.county, ids.dongfeng]);
    expect((await api.call('GET', `/funds/${ids.heping}`, { as: 'cashier-dongfeng' })).status).toBe(403);
    expect((await api.call('GET', `/funds/${ids.dongfeng}`, { as: 'cashier-dongfeng' })).status).toBe(200);
  });

  it('pages with a cursor, and refuses a bad limit or cursor naming the field', async () => {
    const first = await api.call('GET', '/funds?limit=2', { as: 'supervisor' });
    expect(fundIds(first)).toEqual([ids.county, ids.heping]);
    const rest = await api.call('GET', `/funds?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { as: 'supervisor' });
    expect(fundIds(rest)).toEqual([ids.dongfeng]);
    expect(rest.body.nextCursor).toBeNull();
    const badLimit = await api.call('GET', '/funds?limit=0', { as: 'supervisor' });
    expect([badLimit.status, badLimit.body.errors[0].path]).toEqual([400, 'query.limit']);
    const badCursor = await api.call('GET', '/funds?cursor=not-a-cursor', { as: 'supervisor' });
    expect([badCursor.status, badCursor.body.errors[0].path]).toEqual([400, 'query.cursor']);
  });

  it('is not for roles that read no fund', async () => {
    for (const as of ['village-shiban', 'town-heping', 'applicant-shiban-1']) expect((await api.call('GET', '/funds', { as })).status).toBe(403);
  });
});
