import type { NestExpressApplication } from '@nestjs/platform-express';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { Pool } from 'pg';
import type { RouteSpec } from '../../src/api/contract/route-spec';
import { createApp } from '../../src/api/create-app';
import { IdempotencyKeys, requestHash } from '../../src/api/http/idempotency-keys';
import { buildOpenApi, documentedRoutes } from '../../src/api/openapi/build-openapi';
import { failuresOf, type FailureKind } from '../../src/api/openapi/failures';
import { loadConfig } from '../../src/config/config';
import { DEMO_USERS } from '../../src/directory/demo-directory';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const UUID = '00000000-0000-4000-8000-000000000000';
/** Well-formed ids of things that do not exist; each path parameter takes the first its schema accepts. */
const UNKNOWN_IDS = [
  `rl-${'0'.repeat(32)}`,
  `q-${'0'.repeat(32)}`,
  `case-${UUID}`,
  `obj-${UUID}`,
  `fund-${UUID}`,
  `disb-${UUID}`,
  `hh_${'0'.repeat(24)}`,
  `hh-${UUID}`,
  `batch-${'0'.repeat(32)}`,
  `batch-${UUID}`,
  `scheme-${UUID}`,
  `loan-${UUID}-1`,
  `rep-${UUID}`,
  `val-${UUID}`,
  `hs-${UUID}`,
  `task-${UUID}-1`,
  `pair-${UUID}`,
  `review-hh-${UUID}-2026`,
  '522701999999',
  UUID,
];
/** A valid query for the operations that require one. */
const VALID_QUERY: Record<string, string> = { listPayouts: 'from=2026-01-01&to=2026-01-31' };

type Reply = { status: number; body: any; headers: Record<string, string | string[] | undefined> };

/** A request on a connection of its own, with methods and headers fetch() will not send (TRACE, 20 KB headers). */
function raw(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const userWith = (spec: RouteSpec, allowed: boolean) =>
  DEMO_USERS.find((u) => (spec.access === 'public' || spec.access === 'authenticated' || spec.access.includes(u.role)) === allowed);

/**
 * Issue #8 item 6: every operation of the document answers each failure its shape can produce
 * with the status the builder declares for it; and the HTTP-level answers (415, 405, 431, 503).
 */
describe('the OpenAPI document agrees with the server (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  let doc: any;
  let caseId: string;
  let fundId: string;
  beforeAll(async () => {
    api = await apiHarness();
    doc = (await api.call('GET', '/openapi.json')).body;
    const applied = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    expect(applied.status).toBe(201);
    caseId = applied.body.caseId;
    const fund = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: 'OpenAPI test fund', jurisdiction: '522701', account: '6228480000000999' },
    });
    expect(fund.status).toBe(201);
    fundId = fund.body.fundId;
  });
  afterAll(() => api?.close());

  const declared = (spec: RouteSpec): number[] => Object.keys(doc.paths[spec.path][spec.method].responses).map(Number);
  /** The path with each parameter filled: `bad` for one that fails its schema, else a known fixture or a well-formed unknown id. */
  function pathOf(spec: RouteSpec, { bad = false, known = false } = {}): string {
    return spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (bad) return '~not%20an%20id~';
      if (known && name === 'caseId') return caseId;
      if (known && name === 'fundId') return fundId;
      const schema = spec.params?.shape[name] as { safeParse(v: unknown): { success: boolean } };
      const id = UNKNOWN_IDS.find((c) => schema.safeParse(c).success);
      if (!id) throw new Error(`no well-formed id for {${name}}: add one to UNKNOWN_IDS`);
      return id;
    });
  }
  /** A value the query parameter's documented schema refuses. */
  function badQuery(spec: RouteSpec): string {
    const p = doc.paths[spec.path][spec.method].parameters.find((x: any) => x.in === 'query');
    const s = p.schema;
    const value = s.enum
      ? 'not-one-of-them'
      : s.type === 'integer' || s.type === 'number'
        ? 'NaN'
        : s.format === 'date'
          ? '2026-02-30'
          : s.pattern
            ? '~'
            : 'x'.repeat((s.maxLength ?? 1000) + 1);
    return `${p.name}=${encodeURIComponent(value)}`;
  }

  async function send(operationId: string, spec: RouteSpec, kind: FailureKind): Promise<Reply | undefined> {
    const as = userWith(spec, true)?.userId;
    const path = pathOf(spec);
    const query = VALID_QUERY[operationId] ? `?${VALID_QUERY[operationId]}` : '';
    const method = spec.method.toUpperCase();
    const json = { 'content-type': 'application/json' };
    const call = (p: string, opts: Parameters<ApiHarness['call']>[2] = {}) =>
      api.call(method, p, opts).then((r) => ({ ...r, headers: Object.fromEntries(r.headers) }));
    switch (kind) {
      case 'bad-path-param':
        return call(pathOf(spec, { bad: true }) + query, { as });
      case 'bad-query':
        return call(`${path}?${badQuery(spec)}`, { as });
      case 'bad-body':
        return call(path + query, { as, body: [] });
      case 'malformed-json':
        return call(path + query, { as, raw: '{"unfinished":', headers: json });
      case 'body-too-large':
        return call(path + query, { as, raw: JSON.stringify('x'.repeat(5.5 * 1024 * 1024)), headers: json });
      case 'unsupported-media-type':
        return call(path + query, { as, raw: 'hello', headers: { 'content-type': 'text/plain' } });
      case 'bad-idempotency-key':
        return call(path + query, { as, ...(spec.body ? { body: {} } : {}), headers: { 'idempotency-key': 'has a space' } });
      case 'idempotency-key-in-progress': {
        // Another live API process holds the key's first request: a retry must wait.
        const key = `in-progress-${operationId}`;
        const userId = as as string;
        const body = spec.body ? {} : undefined;
        const other = new IdempotencyKeys(api.db.pool, loadConfig({ ...process.env, DATABASE_URL: api.db.url }));
        await other.onApplicationBootstrap();
        try {
          expect(await other.begin(userId, key, method, path + query, requestHash(method, path + query, body ?? null))).toEqual({ kind: 'run' });
          const r = await call(path + query, { as, ...(body ? { body } : {}), headers: { 'idempotency-key': key } });
          expect({ operationId, retryAfter: r.headers['retry-after'] }).toEqual({ operationId, retryAfter: '1' });
          return r;
        } finally {
          await other.onApplicationShutdown();
        }
      }
      case 'idempotency-key-reused': {
        const headers = { 'idempotency-key': `reused-${operationId}` };
        await call(path + query, { as, body: { first: true }, headers });
        return call(path + query, { as, body: { second: true }, headers });
      }
      case 'no-token':
        return call(path + query);
      case 'wrong-role':
        return call(path + query, { as: userWith(spec, false)?.userId });
      case 'headers-too-large':
        return raw(api.baseUrl, method, path + query, { 'x-padding': 'p'.repeat(20 * 1024) });
      case 'internal':
        return undefined; // a bug: nothing to send
      case 'unavailable':
        return undefined; // below, with Postgres away
    }
  }

  it('/openapi.json serves the built document, and the document lists every route the server answers', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
    const served = new Set<string>();
    for (const layer of (api.app.getHttpAdapter().getInstance() as any).router.stack) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) served.add(`${method} ${String(layer.route.path).replace(/:(\w+)/g, '{$1}')}`);
    }
    served.delete('get /docs/assets/{file}'); // the viewer's own files
    const documented = new Set(Object.entries<any>(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('every operation answers each failure of its shape with the status declared for it', async () => {
    const seen: string[] = [];
    for (const [operationId, spec] of Object.entries(documentedRoutes())) {
      for (const f of failuresOf(spec)) {
        const r = await send(operationId, spec, f.kind);
        if (!r) continue;
        const ok = r.status === f.status && declared(spec).includes(r.status);
        expect({ operationId, kind: f.kind, status: r.status, declared: declared(spec) }).toEqual({
          operationId,
          kind: f.kind,
          status: f.status,
          declared: expect.arrayContaining([f.status]),
        });
        if (ok)
          expect({ operationId, kind: f.kind, type: r.headers['content-type'] }).toEqual({
            operationId,
            kind: f.kind,
            type: expect.stringContaining('application/problem+json'),
          });
        seen.push(`${operationId}:${f.kind}`);
      }
    }
    expect(seen.length).toBeGreaterThan(150);
  });

  it('a bad cursor, and an unknown id, get statuses the operation declares', async () => {
    for (const [operationId, spec] of Object.entries(documentedRoutes())) {
      const as = userWith(spec, true)?.userId;
      const query = VALID_QUERY[operationId] ? `?${VALID_QUERY[operationId]}` : '';
      if (spec.query && 'cursor' in spec.query.shape) {
        const r = await api.call('GET', `${pathOf(spec, { known: true })}?cursor=not-a-cursor`, { as });
        expect({ operationId, status: r.status, declared: declared(spec).includes(r.status) }).toEqual({
          operationId,
          status: operationId === 'fundLedger' ? 200 : 400,
          declared: true,
        });
      }
      if (spec.params) {
        const r = await api.call(spec.method.toUpperCase(), pathOf(spec) + query, { as, ...(spec.body ? { body: spec.example } : {}) });
        expect({ operationId, status: r.status, declared: declared(spec).includes(r.status) }).toEqual({
          operationId,
          status: expect.any(Number),
          declared: true,
        });
        expect(r.status).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('a body of another media type is 415 problem+json, not 400; a charset other than UTF-8 too', async () => {
    const decide = await api.call('POST', `/cases/${caseId}/decisions`, {
      as: 'village-shiban',
      raw: 'stage=village_evaluation&decision=approve',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(decide.status).toBe(415);
    expect(decide.headers.get('content-type')).toContain('application/problem+json');
    expect(decide.body).toMatchObject({ status: 415, title: 'Unsupported Media Type', detail: expect.stringContaining('application/json') });
    const noType = await raw(api.baseUrl, 'POST', '/funds', { authorization: `Bearer ${api.tokens['fund-manager']}`, 'content-length': '2' }, '{}');
    expect(noType.status).toBe(415);
    const latin1 = await api.call('POST', '/funds', { as: 'fund-manager', raw: '{}', headers: { 'content-type': 'application/json; charset=latin1' } });
    expect(latin1.status).toBe(415);
    expect(latin1.headers.get('content-type')).toContain('application/problem+json');
    // The route's role is checked first: a caller without it gets the 403 (recorded as a denial).
    expect((await api.call('POST', '/funds', { as: 'auditor', raw: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(403);
    // No body at all is a validation error of the missing body.
    expect((await api.call('POST', '/funds', { as: 'fund-manager' })).status).toBe(400);
  });

  it('a method a known path does not have is 405 with Allow; an unknown path stays 404', async () => {
    const trace = await raw(api.baseUrl, 'TRACE', '/cases');
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(trace.headers['content-type']).toContain('application/problem+json');
    expect(trace.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    const put = await raw(api.baseUrl, 'PUT', '/jurisdictions/522701/settings', { authorization: `Bearer ${api.tokens['county-office']}` });
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, HEAD, POST, OPTIONS']);
    const del = await raw(api.baseUrl, 'DELETE', `/funds/${fundId}`);
    expect([del.status, del.headers.allow]).toEqual([405, 'GET, HEAD, OPTIONS']);
    const get = await raw(api.baseUrl, 'GET', `/cases/${caseId}/decisions`);
    expect([get.status, get.headers.allow]).toEqual([405, 'POST, OPTIONS']);
    const options = await raw(api.baseUrl, 'OPTIONS', '/cases');
    expect([options.status, options.headers.allow]).toEqual([204, 'GET, HEAD, OPTIONS']);
    const unknown = await raw(api.baseUrl, 'TRACE', '/no-such-path');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expect(unknown.body).toMatchObject({ status: 404 });
  });

  it('headers over 16 KB are 431 with a problem+json body (Node answers before any route)', async () => {
    for (const path of ['/health', `/cases/${caseId}`, '/no-such-path']) {
      const r = await raw(api.baseUrl, 'GET', path, { 'x-padding': 'p'.repeat(20 * 1024) });
      expect({ path, status: r.status }).toEqual({ path, status: 431 });
      expect(r.headers['content-type']).toBe('application/problem+json');
      expect(r.body).toMatchObject({
        type: expect.stringMatching(/headers-too-large$/),
        title: 'Request Header Fields Too Large',
        status: 431,
        detail: expect.any(String),
      });
    }
    // The connection it came on is closed; the next request is served as usual.
    expect((await api.call('GET', '/health')).status).toBe(200);
  });

  it('a reused Idempotency-Key is 422 on objections, exit, funds, deposits and jurisdiction settings', async () => {
    const cases: [string, string, string, unknown, unknown][] = [
      ['village-shiban', 'POST', `/cases/${caseId}/objections`, { grounds: 'first' }, { grounds: 'second' }],
      ['village-shiban', 'POST', `/households/hh_${'0'.repeat(24)}/exit`, { reason: 'first' }, { reason: 'second' }],
      [
        'fund-manager',
        'POST',
        '/funds',
        { name: 'Reuse fund', jurisdiction: '522701', account: '6228480000000888' },
        { name: 'Another fund', jurisdiction: '522701', account: '6228480000000889' },
      ],
      [
        'fund-manager',
        'POST',
        `/funds/${fundId}/deposits`,
        { amountFen: 100, source: 'budget', reference: 'first' },
        { amountFen: 200, source: 'budget', reference: 'second' },
      ],
      ['county-office', 'POST', '/jurisdictions/522701101201/settings', { publicityPeriod: 'P8D' }, { publicityPeriod: 'P9D' }],
    ];
    for (const [as, method, path, first, second] of cases) {
      const headers = { 'idempotency-key': `reuse:${path}` };
      await api.call(method, path, { as, body: first, headers });
      const again = await api.call(method, path, { as, body: second, headers });
      expect({ path, status: again.status, type: again.body.type }).toEqual({ path, status: 422, type: expect.stringMatching(/idempotency-key-reused$/) });
      const spec = Object.values(documentedRoutes()).find(
        (s) => s.method === 'post' && new RegExp(`^${s.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
      ) as RouteSpec;
      expect({ path, declared: declared(spec) }).toEqual({ path, declared: expect.arrayContaining([422]) });
    }
  });

  it("the rules the schemas carry are the server's: a reason to reject, no blank grounds, a payouts period", async () => {
    const noReason = await api.call('POST', `/cases/${caseId}/decisions`, { as: 'village-shiban', body: { stage: 'village_evaluation', decision: 'reject' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ path: 'body.reason', message: 'required for reject and return' }]);
    const blankReason = await api.call('POST', `/disbursements/disb-${UUID}/decisions`, { as: 'town-heping', body: { decision: 'reject', reason: '  ' } });
    expect(blankReason.status).toBe(400);
    expect(blankReason.body.errors).toEqual([{ path: 'body.reason', message: 'required to reject' }]);
    const blankGrounds = await api.call('POST', `/cases/${caseId}/objections`, { as: 'applicant-shiban-1', body: { grounds: ' \n\t ' } });
    expect(blankGrounds.status).toBe(400);
    expect(blankGrounds.body.errors[0].path).toBe('body.grounds');
    const backwards = await api.call('GET', `/funds/${fundId}/payouts?from=2026-02-01&to=2026-01-31`, { as: 'village-shiban' });
    expect([backwards.status, backwards.body.errors]).toEqual([400, [{ path: 'query.to', message: expect.stringMatching(/^before from/) }]]);
    const tooLong = await api.call('GET', `/funds/${fundId}/payouts?from=2025-01-01&to=2026-01-02`, { as: 'village-shiban' });
    expect([tooLong.status, tooLong.body.errors?.[0].path]).toEqual([400, 'query.to']);
    const unreal = await api.call('GET', `/funds/${fundId}/payouts?from=2026-02-30&to=2026-03-01`, { as: 'village-shiban' });
    expect([unreal.status, unreal.body.errors?.[0].path]).toEqual([400, 'query.from']);
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=2025-01-01&to=2026-01-01`, { as: 'village-shiban' })).status).toBe(200);
  });

  describe('with Postgres away', () => {
    let down: NestExpressApplication;
    let downUrl: string;
    let deadPool: Pool;
    beforeAll(async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const { port: p } = s.address() as AddressInfo;
          s.close(() => resolve(p));
        });
      });
      deadPool = new Pool({ connectionString: `postgres://nobody@127.0.0.1:${port}/none`, connectionTimeoutMillis: 2000 });
      deadPool.on('error', () => undefined);
      const config = loadConfig({ ...process.env, DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none`, TASK_QUEUE: api.taskQueue });
      down = await createApp({ config, pool: deadPool, temporal: api.env.client }, { logger: false });
      await down.listen(0, '127.0.0.1');
      downUrl = (await down.getUrl()).replace('[::1]', '127.0.0.1');
    });
    afterAll(async () => {
      await down?.close();
      await deadPool?.end();
    });

    it('every operation that needs it answers 503 with Retry-After, and declares it', async () => {
      for (const [operationId, spec] of Object.entries(documentedRoutes())) {
        if (spec.path === '/openapi.json' || spec.path === '/docs') continue; // served without the database
        // A public route with a body (log-in) reads the database only once its body is valid: send the example.
        const body = spec.access === 'public' && spec.body ? JSON.stringify(spec.example) : undefined;
        const headers = { authorization: 'Bearer some-token', ...(body ? { 'content-type': 'application/json' } : {}) };
        const r = await raw(downUrl, spec.method.toUpperCase(), pathOf(spec), headers, body);
        expect({ operationId, status: r.status, retryAfter: r.headers['retry-after'], declared: declared(spec).includes(503) }).toEqual({
          operationId,
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
          declared: true,
        });
      }
    });
  });
});
