import type { NestExpressApplication } from '@nestjs/platform-express';
import { request as httpRequest } from 'node:http';
import { createApp } from '../../src/api/create-app';
import { loadConfig } from '../../src/config/config';
import { DEMO_USERS } from '../../src/directory/demo-directory';
import { createLogger } from '../../src/logging/logger';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { householdInput } from '../support/fixtures';
import { samples, valueOf } from '../support/prometheus-text';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const noQuorum = { representatives: 21, present: 5, for: 5, against: 0, abstain: 0 }; // recorded, leaves the stage as it is
const against = { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 };
// A short Temporal deadline (the 503 below), and a stage limit that every open task passes at once.
const ENV = { TEMPORAL_CALL_TIMEOUT: 'PT3S', STAGE_TIME_LIMIT: 'PT1S' };

type Line = Record<string, any>;

/**
 * Issue #12 item 3 on the real service: an API whose pino logger writes into this test, beside the
 * harness's (silent) one, on the same Postgres, Temporal dev server and worker.
 */
describe('logs and metrics of the API (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  let app: NestExpressApplication;
  let baseUrl: string;
  const written: string[] = [];
  const logText = () => written.join('');
  const logLines = (): Line[] =>
    logText()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  const linesOf = (requestId: string | null) => logLines().filter((l) => l.requestId === requestId);
  /** Every case this file creates (all cases of its database), by id. */
  const applied: string[] = [];

  beforeAll(async () => {
    api = await apiHarness(ENV);
    const config = loadConfig({ ...process.env, DATABASE_URL: api.db.url, TASK_QUEUE: api.taskQueue, ...ENV });
    const logger = createLogger({ process: 'api', level: 'debug', destination: { write: (s: string) => void written.push(s) } });
    app = await createApp({ config, pool: api.db.pool, temporal: api.env.client }, { logger });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  async function call(method: string, path: string, { as, body, headers = {} }: { as?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const res = await contractFetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(as ? { authorization: `Bearer ${api.tokens[as]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  }

  async function apply(headers: Record<string, string> = {}) {
    const household = householdInput();
    const r = await call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household }, headers });
    expect(r.status).toBe(201);
    applied.push(r.body.caseId);
    return { ...r, household };
  }

  /** A request with headers fetch() will not send as they are (a tab in a value). */
  function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; requestId: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${baseUrl}${path}`, { method: 'GET', headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: res.headers['x-request-id'] as string | undefined }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  describe('logs', () => {
    it("echoes a sane X-Request-Id, and the request's line carries it with method, path, route template, status and duration", async () => {
      const r = await apply({ 'x-request-id': 'test-apply-0001' });
      expect(r.headers.get('x-request-id')).toBe('test-apply-0001');
      const got = await call('GET', `/cases/${r.body.caseId}`, { as: 'village-shiban' });
      expect(got.status).toBe(200);
      expect(got.headers.get('x-request-id')).toMatch(UUID); // none given: one is made
      await waitFor(async () => linesOf('test-apply-0001').length > 0 && linesOf(got.headers.get('x-request-id')).length > 0);
      expect(linesOf('test-apply-0001')).toEqual([
        expect.objectContaining({
          level: 'info',
          process: 'api',
          msg: 'request completed',
          req: { method: 'POST', path: '/applications' },
          res: { status: 201, route: '/applications' },
          durationMs: expect.any(Number),
        }),
      ]);
      expect(linesOf(got.headers.get('x-request-id'))).toEqual([
        expect.objectContaining({ req: { method: 'GET', path: `/cases/${r.body.caseId}` }, res: { status: 200, route: '/cases/{caseId}' } }),
      ]);
    });

    it('writes no bearer token, ID number, name or other household detail, nor any body, whatever the answer', async () => {
      const { household } = await apply({ 'x-request-id': 'test-redaction-1' });
      // The same household refused (the body is invalid: a bad village), and sent to a route that takes no body.
      const bad = await call('POST', '/applications', { as: 'village-shiban', body: { village: 'nowhere', household } });
      expect(bad.status).toBe(400);
      const denied = await call('POST', '/codec/decode', { as: 'village-shiban', body: { payloads: [], household } });
      expect(denied.status).toBe(403);
      await waitFor(async () => linesOf(bad.headers.get('x-request-id')).length > 0 && linesOf(denied.headers.get('x-request-id')).length > 0);
      const text = logText();
      expect(linesOf('test-redaction-1')).toHaveLength(1); // the request was logged: the search below looks at real lines
      const secrets = [
        api.tokens['village-shiban'],
        ...household.members.flatMap((m) => [m.idNumber, m.name]),
        household.requestedHelp,
        'Bearer',
        'authorization',
      ];
      for (const secret of secrets) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    });

    it('replaces a hostile X-Request-Id (control character, markup, over 100 characters) and logs the replacement', async () => {
      for (const hostile of ['evil\tid', '"><script>alert(1)</script>', 'x'.repeat(101)]) {
        const r = await rawGet('/health', { 'x-request-id': hostile });
        expect(r.requestId).toMatch(UUID);
        await waitFor(async () => linesOf(r.requestId as string).length > 0);
        expect(linesOf(r.requestId as string)).toEqual([expect.objectContaining({ res: { status: r.status, route: '/health' } })]);
        expect(logText()).not.toContain(hostile);
      }
    });

    it("a Temporal deadline's 503 is a warning on every line of its request, which share the id the response echoes; nothing at error", async () => {
      const { body } = await apply();
      await api.stopWorker();
      let r: Awaited<ReturnType<typeof call>>;
      try {
        r = await call('POST', `/cases/${body.caseId}/decisions`, {
          as: 'village-shiban',
          body: { stage: 'village_evaluation', decision: 'approve', votes: noQuorum },
          headers: { 'idempotency-key': 'logs-worker-away-1' },
        });
      } finally {
        await api.startWorker();
      }
      expect(r.status).toBe(503);
      const id = r.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      await waitFor(async () => linesOf(id).length >= 2);
      const lines = linesOf(id);
      expect(lines).toEqual([
        expect.objectContaining({ level: 'warn', context: 'http', msg: expect.stringMatching(/^temporarily unavailable: /) }),
        expect.objectContaining({ level: 'warn', msg: 'request failed', res: { status: 503, route: '/cases/{caseId}/decisions' } }),
      ]);
      expect(logLines().filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
    });
  });

  describe('GET /metrics', () => {
    const scrape = (as?: string) => call('GET', '/metrics', as ? { as } : {});

    it('needs a token (401) of an operator or supervisor (403 for every other role); answers text/plain; version=0.0.4', async () => {
      expect((await scrape()).status).toBe(401);
      for (const user of DEMO_USERS.filter((u) => u.role !== 'operator' && u.role !== 'supervisor')) {
        expect({ user: user.userId, status: (await scrape(user.userId)).status }).toEqual({ user: user.userId, status: 403 });
      }
      for (const as of ['operator', 'supervisor']) {
        const r = await scrape(as);
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(samples(r.text).length).toBeGreaterThan(0);
        expect(valueOf(r.text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      }
    });

    it('times requests by method, route template and status, never by the URL with its ids', async () => {
      const caseId = applied[0];
      const before =
        valueOf((await scrape('operator')).text, 'http_request_duration_seconds_count', { method: 'GET', route: '/cases/{caseId}', status: '200' }) ?? 0;
      for (let i = 0; i < 3; i++) expect((await call('GET', `/cases/${caseId}`, { as: 'village-shiban' })).status).toBe(200);
      expect((await call('GET', `/cases/case-00000000-0000-4000-8000-000000000000`, { as: 'village-shiban' })).status).toBe(404);
      const text = (await scrape('operator')).text;
      const labels = { method: 'GET', route: '/cases/{caseId}' };
      expect(valueOf(text, 'http_request_duration_seconds_count', { ...labels, status: '200' })).toBe(before + 3);
      expect(valueOf(text, 'http_request_duration_seconds_bucket', { ...labels, status: '200', le: '+Inf' })).toBe(before + 3);
      expect(valueOf(text, 'http_request_duration_seconds_count', { ...labels, status: '404' })).toBe(1);
      expect(valueOf(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '401' })).toBe(1);
      for (const id of applied) expect(text).not.toContain(id);
    });

    it('counts cases by stage and status, and open and overdue tasks, as this test made them', async () => {
      await apply();
      await apply();
      const rejectedId = applied[applied.length - 1];
      const hash = (await call('GET', `/cases/${rejectedId}`, { as: 'village-shiban' })).body.householdHash;
      const rejected = await call('POST', `/cases/${rejectedId}/decisions`, {
        as: 'village-shiban',
        body: { stage: 'village_evaluation', decision: 'reject', reason: 'income above the line', votes: against, householdHash: hash },
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body.stage).toBe('rejected');
      const open = applied.length - 1;
      // Every open case waits at village evaluation, each with its decision task, due a second after it opened.
      let text = '';
      await waitFor(async () => {
        text = (await scrape('supervisor')).text;
        return valueOf(text, 'aid_tasks_overdue', { kind: 'case', step: 'village_evaluation' }) === open;
      }, 60_000);
      const cases = samples(text).filter((s) => s.name === 'aid_cases');
      const byStage = cases.map((c) => ({ stage: c.labels.stage, status: c.labels.status, value: c.value })).sort((a, b) => a.stage.localeCompare(b.stage));
      expect(byStage).toEqual([
        { stage: 'rejected', status: 'rejected', value: 1 },
        { stage: 'village_evaluation', status: 'open', value: open },
      ]);
      expect(samples(text).filter((s) => s.name === 'aid_tasks_open')).toEqual([
        { name: 'aid_tasks_open', labels: { kind: 'case', step: 'village_evaluation' }, value: open },
      ]);
      expect(valueOf(text, 'aid_worker_metrics_up')).toBeUndefined(); // WORKER_METRICS_URL is not set here
    });
  });
});
