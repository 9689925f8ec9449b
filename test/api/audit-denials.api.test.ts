import { upsertUsers } from '../../src/directory/directory';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';

const HEPING = '522701101';
const DONGFENG = '522701102';
const DAY_MS = 86_400_000;
const day = (offset = 0) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

/** GET /audit/denials: every recorded 403, read back by auditors and supervisors within their jurisdiction. */
describe('GET /audit/denials', () => {
  let api: ApiHarness;
  let startedAt: number;
  const denials = (as: string, query = '') => api.call('GET', `/audit/denials${query}`, { as });
  const ours = (items: any[]) => items.filter((i) => ['village-shiban', 'village-baiyun', 'applicant-shiban-1'].includes(i.userId));

  beforeAll(async () => {
    api = await apiHarness();
    // A supervisor and an auditor of one town, beside the county ones of the demo directory.
    await upsertUsers(api.db.pool, [
      { userId: 'supervisor-dongfeng', name: 'Dongfeng supervision', role: 'supervisor', jurisdiction: DONGFENG, token: 'tok-supervisor-dongfeng-0123' },
      { userId: 'auditor-heping', name: 'Heping audit', role: 'auditor', jurisdiction: HEPING, token: 'tok-auditor-heping-0123' },
    ]);
    startedAt = Date.now();
    // Three refused requests by users of two towns.
    expect((await api.call('GET', '/supervision/stalled', { as: 'village-shiban' })).status).toBe(403);
    expect((await api.call('GET', '/supervision/summary', { as: 'village-baiyun' })).status).toBe(403);
    expect((await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: '522701102201', household: householdInput() } })).status).toBe(
      403,
    );
  });
  afterAll(() => api?.close());

  it('shows an auditor who tried what, when and why', async () => {
    const r = await denials('auditor', '?limit=100');
    expect(r.status).toBe(200);
    const items = ours(r.body.items);
    expect(items.map((i: { userId: string }) => i.userId)).toEqual(['village-shiban', 'village-baiyun', 'applicant-shiban-1']);
    expect(items[0]).toEqual({
      denialId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      at: expect.any(String),
      userId: 'village-shiban',
      role: 'village_official',
      jurisdiction: '522701101201',
      method: 'GET',
      path: '/supervision/stalled',
      reason: expect.stringMatching(/role/),
      streamId: `audit-denials-${day()}`,
      version: expect.any(Number),
    });
    expect(items[2]).toMatchObject({ method: 'POST', path: '/applications', role: 'applicant' });
    const at = Date.parse(items[0].at);
    expect(at).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    // The supervisor reads the same list.
    expect(ours((await denials('supervisor', '?limit=100')).body.items)).toEqual(items);
  });

  it('filters by user, jurisdiction and day', async () => {
    const users = async (query: string) => ours((await denials('auditor', query)).body.items).map((i: { userId: string }) => i.userId);
    expect(await users('?user=village-baiyun')).toEqual(['village-baiyun']);
    expect(await users(`?jurisdiction=${HEPING}`)).toEqual(['village-shiban', 'applicant-shiban-1']);
    expect(await users('?jurisdiction=522701101201&user=village-shiban')).toEqual(['village-shiban']);
    expect(await users(`?from=${day()}&to=${day()}`)).toHaveLength(3);
    expect(await users(`?from=${day(1)}`)).toEqual([]);
    expect(await users(`?to=${day(-1)}`)).toEqual([]);
    expect((await denials('auditor', `?from=${day(-1)}&limit=100`)).body.items.every((i: { at: string }) => i.at >= `${day(-1)}T00:00:00`)).toBe(true);
  });

  it('pages with limit and cursor, oldest first, each denial once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await denials('auditor', `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...r.body.items.map((i: { denialId: string }) => i.denialId));
      cursor = r.body.nextCursor;
    } while (cursor);
    const all = (await denials('auditor', '?limit=100')).body.items.map((i: { denialId: string }) => i.denialId);
    expect(seen).toEqual(all.slice(0, seen.length));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps other jurisdictions out of sight of a town's supervisor and auditor", async () => {
    const dongfeng = await denials('tok-supervisor-dongfeng-0123', '?limit=100');
    expect(dongfeng.status).toBe(200);
    expect(dongfeng.body.items.length).toBeGreaterThan(0);
    expect(dongfeng.body.items.every((i: { jurisdiction: string }) => i.jurisdiction.startsWith(DONGFENG))).toBe(true);
    expect(ours(dongfeng.body.items).map((i: { userId: string }) => i.userId)).toEqual(['village-baiyun']);
    expect((await denials('tok-supervisor-dongfeng-0123', '?user=village-shiban')).body.items).toEqual([]);
    const outside = await denials('tok-supervisor-dongfeng-0123', `?jurisdiction=${HEPING}`);
    expect(outside.status).toBe(403);
    expect(outside.headers.get('content-type')).toContain('application/problem+json');
    const heping = await denials('tok-auditor-heping-0123', '?limit=100');
    expect(heping.body.items.every((i: { jurisdiction: string }) => i.jurisdiction.startsWith(HEPING))).toBe(true);
    // The supervisor's own refused attempt is now on record, visible to the county.
    const county = await denials('auditor', '?user=supervisor-dongfeng');
    expect(county.body.items).toEqual([expect.objectContaining({ path: '/audit/denials', jurisdiction: DONGFENG })]);
  });

  it('refuses every other role with 403', async () => {
    for (const as of ['applicant-shiban-1', 'village-shiban', 'town-heping', 'county-office', 'fund-manager', 'cashier']) {
      const r = await denials(as);
      expect({ as, status: r.status }).toEqual({ as, status: 403 });
    }
  });

  it('answers 400 problem+json naming each bad filter', async () => {
    const bad = async (query: string, path: string) => {
      const r = await denials('auditor', query);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad('?from=2025-13-01', 'query.from');
    await bad('?to=2025-02-30', 'query.to');
    await bad('?from=2025-03-02&to=2025-03-01', 'query.to');
    await bad('?jurisdiction=5227', 'query.jurisdiction');
    await bad('?limit=0', 'query.limit');
    await bad('?limit=1000', 'query.limit');
    await bad('?cursor=not-a-cursor', 'query.cursor');
    await bad(`?cursor=${Buffer.from(JSON.stringify(['2025-01-01T00:00:00.000Z', 'x'])).toString('base64url')}`, 'query.cursor');
  });
});
