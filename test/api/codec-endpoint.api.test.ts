import { defaultPayloadConverter } from '@temporalio/common';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ENCRYPTED_ENCODING } from '../../src/temporal/encryption-codec';
import { toJson } from '../../src/api/codec/payload-json';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput, memberInput } from '../support/fixtures';
import { requireEnv } from '../support/env';
import { payloadsOf, rawClient } from '../support/raw-history';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const UI = 'http://127.0.0.1:8233';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: string) => Buffer.from(s, 'base64').toString();

/** The codec server for the Temporal UI and CLI (Temporal's protocol), operators only. */
describe('codec endpoint: POST /codec/decode and /codec/encode', () => {
  let api: ApiHarness;
  let caseId: string;
  beforeAll(async () => {
    api = await apiHarness({ CODEC_CORS_ORIGINS: UI });
    const household = householdInput({
      members: [memberInput('Huangfu Codec', 'head')],
    });
    caseId = (await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household } })).body.caseId;
  });
  afterAll(() => api?.close());

  const plain = toJson(defaultPayloadConverter.toPayload({ hello: 'world' }));

  it('401 without a token or with a bad one; 403 for every role but operator, recorded as a denial', async () => {
    expect((await api.call('POST', '/codec/decode', { body: { payloads: [] } })).status).toBe(401);
    expect((await api.call('POST', '/codec/decode', { as: 'not-a-token', body: { payloads: [] } })).status).toBe(401);
    for (const as of ['auditor', 'supervisor', 'county-office', 'fund-manager', 'applicant-shiban-1']) {
      expect((await api.call('POST', '/codec/decode', { as, body: { payloads: [plain] } })).status).toBe(403);
      expect((await api.call('POST', '/codec/encode', { as, body: { payloads: [plain] } })).status).toBe(403);
    }
    const denials = await api.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'AccessDenied' AND data->>'path' LIKE '/codec/%' AND data->>'userId' = 'auditor'`,
    );
    expect(denials.rows[0].n).toBe(2);
  });

  it('decodes what the Temporal server stores, for an operator, and records who decoded how much', async () => {
    const history = await rawClient(api).workflow.getHandle(caseId).fetchHistory();
    const stored = payloadsOf(history);
    expect(text(stored[0].metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    const r = await api.call('POST', '/codec/decode', { as: 'operator', body: { payloads: stored }, headers: { 'x-namespace': 'default' } });
    expect(r.status).toBe(200);
    expect(r.body.payloads).toHaveLength(stored.length);
    expect(text(r.body.payloads[0].metadata.encoding)).toBe('json/plain');
    expect(text(r.body.payloads[0].data)).toContain('Huangfu Codec');
    const audit = await api.db.pool.query(
      `SELECT metadata->>'actor' AS actor, data FROM events WHERE type = 'PayloadsDecoded' AND stream_id LIKE 'audit-codec-%'`,
    );
    expect(audit.rows).toContainEqual({ actor: 'operator', data: { userId: 'operator', role: 'operator', payloads: stored.length, namespace: 'default' } });
    expect(JSON.stringify(audit.rows)).not.toContain('Huangfu');
  });

  it('the Temporal CLI shows a history decoded through it, as the README says (--codec-endpoint, --codec-auth)', async () => {
    const show = ['workflow', 'show', '-w', caseId, '--address', requireEnv('TEMPORAL_ADDRESS'), '-o', 'json'];
    // Asynchronously: the codec server is this very process.
    const run = (args: string[]) => promisify(execFile)(requireEnv('TEMPORAL_CLI'), args, { timeout: 60_000 });
    const input = (stdout: string) => JSON.parse(stdout).events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    const stored = input((await run(show)).stdout);
    expect(text(stored.metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    const decoded = input((await run([...show, '--codec-endpoint', `${api.baseUrl}/codec`, '--codec-auth', `Bearer ${api.tokens.operator}`])).stdout);
    expect(text(decoded.metadata.encoding)).toBe('json/plain');
    expect(text(decoded.data)).toContain('Huangfu Codec');
  });

  it('round-trips: encode encrypts with the active key, decode gives the payload back; plain payloads pass through decode', async () => {
    const enc = await api.call('POST', '/codec/encode', { as: 'operator', body: { payloads: [plain] } });
    expect(enc.status).toBe(200);
    expect(text(enc.body.payloads[0].metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(enc.body.payloads[0].metadata['encryption-key-id'])).toBe('dev-1');
    expect(text(enc.body.payloads[0].data)).not.toContain('world');
    const dec = await api.call('POST', '/codec/decode', { as: 'operator', body: { payloads: [...enc.body.payloads, plain] } });
    expect(dec.body.payloads).toEqual([plain, plain]);
  });

  it("refuses a payload it cannot decrypt, and a body that is not the protocol's", async () => {
    const enc = (await api.call('POST', '/codec/encode', { as: 'operator', body: { payloads: [plain] } })).body.payloads[0];
    const altered = { ...enc, metadata: { ...enc.metadata, 'encryption-key-id': b64('gone') } };
    const r = await api.call('POST', '/codec/decode', { as: 'operator', body: { payloads: [altered] } });
    expect(r.status).toBe(400);
    expect(r.body.detail).not.toMatch(/gone|key id/);
    expect((await api.call('POST', '/codec/decode', { as: 'operator', body: { payloads: [{ data: 'not base64!' }] } })).status).toBe(400);
    // Protobuf JSON leaves an empty list out: `{}` is no payloads (the Go CLI sends it).
    expect((await api.call('POST', '/codec/decode', { as: 'operator', body: {} })).body).toEqual({ payloads: [] });
  });

  it('a codec session cookie lets the Temporal UI (CORS, credentials) decode for the operator who started it', async () => {
    const session = await api.call('POST', '/codec/session', { as: 'operator' });
    expect(session.status).toBe(200);
    const cookie = session.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^aid_codec_session=[^;]+; Path=\/codec; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const jar = cookie.split(';')[0];

    // A CORS preflight is the browser's protocol, not an operation of the document: fetched as it is.
    const preflight = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    const stranger = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    // CORS is for the codec only: the rest of the API stays same-origin.
    expect((await contractFetch(`${api.baseUrl}/health`, { headers: { origin: UI } })).headers.get('access-control-allow-origin')).toBeNull();

    const byCookie = await api.call('POST', '/codec/decode', { body: { payloads: [plain] }, headers: { cookie: jar, origin: UI } });
    expect(byCookie.status).toBe(200);
    expect(byCookie.headers.get('access-control-allow-origin')).toBe(UI);
    // The UI may forward a token of its own beside the cookie: the cookie still counts.
    expect(
      (await api.call('POST', '/codec/decode', { body: { payloads: [plain] }, headers: { cookie: jar, authorization: 'Bearer ui-oidc-token' } })).status,
    ).toBe(200);
    // The cookie opens the codec and nothing else.
    expect((await api.call('GET', '/cases', { headers: { cookie: jar } })).status).toBe(401);
    // Only operators get a session; someone else's cookie is theirs, and refused.
    expect((await api.call('POST', '/codec/session', { as: 'auditor' })).status).toBe(403);
    expect(
      (await api.call('POST', '/codec/decode', { body: { payloads: [plain] }, headers: { cookie: `aid_codec_session=${api.tokens.auditor}` } })).status,
    ).toBe(403);
  });
});
