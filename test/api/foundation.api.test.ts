import { householdInput } from '../support/fixtures';
import { apiHarness, type ApiHarness } from '../support/api-harness';

const VILLAGE = '522701101201';

describe('HTTP API foundation (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api?.close());

  it('GET /health reports both dependencies', async () => {
    const r = await api.call('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: { ok: true }, temporal: { ok: true } });
  });

  it('serves an OpenAPI document with a valid example for every POST, and the docs viewer', async () => {
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const posts = Object.entries(doc.body.paths as Record<string, any>).filter(([, ops]) => ops.post?.requestBody);
    expect(posts.length).toBeGreaterThanOrEqual(4);
    for (const [path, ops] of posts) {
      expect({ path, example: ops.post.requestBody?.content['application/json'].example }).toEqual({ path, example: expect.anything() });
    }
    const docs = await api.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('swagger-ui-bundle.js');
    expect((await api.call('GET', '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await api.call('GET', '/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('the documented example application is accepted as-is', async () => {
    const doc = await api.call('GET', '/openapi.json');
    const example = doc.body.paths['/applications'].post.requestBody.content['application/json'].example;
    const r = await api.call('POST', '/applications', { as: 'village-shiban', body: example });
    expect(r.status).toBe(201);
  });

  it('401 without a token or with a bad one, as problem+json', async () => {
    const none = await api.call('GET', '/cases');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect((await api.call('GET', '/cases', { as: 'not-a-token' })).status).toBe(401);
  });

  it('403 for a role that may not act, and for a village outside the jurisdiction', async () => {
    const wrongRole = await api.call('POST', '/applications', { as: 'supervisor', body: { village: VILLAGE, household: householdInput() } });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.detail).toMatch(/role/);
    const otherVillage = await api.call('POST', '/applications', { as: 'village-baiyun', body: { village: VILLAGE, household: householdInput() } });
    expect(otherVillage.status).toBe(403);
  });

  it('400 problem+json naming each bad field, with nothing started', async () => {
    const count = async () => (await api.db.pool.query('SELECT count(*)::int AS n FROM cases')).rows[0].n;
    const before = await count();
    const bad = householdInput();
    (bad.members[0] as { idNumber: string }).idNumber = '123';
    (bad as { annualIncomeFen: number }).annualIncomeFen = 12.5;
    const r = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: '99', household: bad } });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const paths = (r.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.village', 'body.household.members.0.idNumber', 'body.household.annualIncomeFen']));
    expect(JSON.stringify(r.body)).not.toMatch(/at \w+ \(|SELECT|node_modules/);
    expect(await count()).toBe(before);
    const malformed = await api.call('POST', '/applications', { as: 'village-shiban', raw: '{"village":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toMatch(/malformed-json/);
  });

  it('POST /applications starts a durable case whose events read back with a valid hash chain', async () => {
    const household = householdInput({ bankAccount: { bank: 'RCC', accountNumber: '6228480099998888' } });
    const idNumbers = new RegExp(household.members.map((m) => m.idNumber).join('|'));
    const r = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: VILLAGE, household } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ stage: 'village_evaluation', status: 'open' });
    const caseId = r.body.caseId as string;
    expect(JSON.stringify(r.body)).not.toMatch(idNumbers); // no full ID number leaves the server

    const own = await api.call('GET', `/cases/${caseId}`, { as: 'applicant-shiban-1' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ caseId, stage: 'village_evaluation', pendingTask: { kind: 'decision', role: ['village_official'] } });
    expect((await api.call('GET', `/cases/${caseId}`, { as: 'applicant-baiyun-1' })).status).toBe(403);
    expect((await api.call('GET', `/cases/${caseId}`, { as: 'town-dongfeng' })).status).toBe(403);

    const events = await api.call('GET', `/cases/${caseId}/events`, { as: 'town-heping' });
    expect(events.status).toBe(200);
    const list = events.body.events as { seq: number; type: string; hash: string; prevHash: string; actor: string }[];
    expect(list.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'StageEntered']);
    expect(list[0]).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), actor: 'applicant-shiban-1' });
    expect(list[1].prevHash).toBe(list[0].hash);
    expect(JSON.stringify(list)).not.toMatch(idNumbers);
    expect(JSON.stringify(list)).not.toContain('6228480099998888'); // the account number is masked for readers
    expect((list[0] as any).data.household.bankAccount.accountNumber).toBe('****8888');
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM events WHERE data::text ~ $1', [idNumbers.source])).rows[0].n).toBe(0);
    expect((await api.call('GET', `/cases/${caseId}/events`, { as: 'applicant-shiban-1' })).status).toBe(403);
  });

  it('a POST retried with the same Idempotency-Key returns the first answer and starts one case', async () => {
    const body = { village: VILLAGE, household: householdInput() };
    const headers = { 'idempotency-key': 'apply-retry-1' };
    const first = await api.call('POST', '/applications', { as: 'village-shiban', body, headers });
    const again = await api.call('POST', '/applications', { as: 'village-shiban', body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const n = await api.db.pool.query('SELECT count(*)::int AS n FROM cases WHERE household_id = $1', [first.body.case.householdId]);
    expect(n.rows[0].n).toBe(1);
    const different = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: VILLAGE, household: householdInput() }, headers });
    expect(different.status).toBe(422);
  });

  it('concurrent retries with one Idempotency-Key still create exactly one case', async () => {
    const body = { village: VILLAGE, household: householdInput() };
    const headers = { 'idempotency-key': 'apply-race-1' };
    const results = await Promise.all(Array.from({ length: 4 }, () => api.call('POST', '/applications', { as: 'village-shiban', body, headers })));
    for (const r of results) expect([201, 409]).toContain(r.status);
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.caseId)).size).toBe(1);
    const caseId = ok[0].body.caseId;
    expect(
      (await api.db.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = $2', [caseId, 'ApplicationSubmitted'])).rows[0].n,
    ).toBe(1);
  });

  it("lists cases only within the caller's jurisdiction, paginated", async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.call('GET', `/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { as: 'town-heping' });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      all.push(...page.body.items.map((c: { caseId: string }) => c.caseId));
      cursor = page.body.nextCursor;
    } while (cursor);
    const inDb = (await api.db.pool.query(`SELECT count(*)::int AS n FROM cases WHERE town = '522701101'`)).rows[0].n;
    expect(all.length).toBe(inDb);
    expect(new Set(all).size).toBe(all.length);
    const other = await api.call('GET', '/cases', { as: 'town-dongfeng' });
    expect(other.body.items).toEqual([]);
    const bad = await api.call('GET', '/cases?limit=1000', { as: 'town-heping' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.limit');
  });
});
