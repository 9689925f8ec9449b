import fc from 'fast-check';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { DEMO_USERS } from '../../src/directory/demo-directory';
import { ROLES } from '../../src/domain/roles';
import { apiHarness, type ApiHarness } from '../support/api-harness';

/**
 * Generated hostile requests against every operation of the OpenAPI document, as a user of
 * each role and without a token: wrong types, numbers that overflow, `1.0` and `-0`, deep
 * nesting, a key given twice, NUL and control characters, lone surrogates, bytes that are not
 * UTF-8, bodies that do not decompress, odd charsets and media types, query parameters as
 * arrays and objects, odd path segments, with and without an Idempotency-Key. None may be
 * answered with a server error. Deterministic: the seed (FUZZ_SEED to change it) is in the
 * failure message with the request that failed.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261208);
/** Per operation and role (and without a token): bounded, so the file runs in well under a minute (FUZZ_RUNS for a longer search). */
const RUNS_PER_ROLE = Number(process.env.FUZZ_RUNS ?? 2);

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  example: unknown;
}

interface HostileRequest {
  path: string;
  query: string;
  body?: Buffer;
  headers: Record<string, string>;
  /** In place of the caller's bearer token, now and then. */
  authorization?: string;
}

const DEEP = (n: number) => '['.repeat(n) + ']'.repeat(n);
/** JSON values written as text, since JSON.stringify cannot write most of them. */
const RAW_VALUES = [
  '1e999',
  '-1e309',
  '1.0',
  '1E2',
  '-0',
  '-0.0',
  '12345678901234567890123456789',
  '0.1e-999',
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800"',
  '"\\udc00x"',
  '"\\u2028"',
  '"\\u0007"',
  '"\\r\\n"',
  '""',
  '" "',
  `"${'王'.repeat(5000)}"`,
  `"${'x'.repeat(100_000)}"`,
  'null',
  'true',
  '[]',
  '{}',
  '[null]',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  DEEP(70),
  DEEP(3000),
  `[${'1,'.repeat(10_000)}1]`,
];
const RAW_BODIES = ['', ' ', 'null', '[]', '{}', '"x"', '1e999', '{', '{"a":', '}{', DEEP(3000), `{"a":${DEEP(3000)}}`, '{"a":1,"a":1}', '\u0000', 'NaN'];
/** Bytes that are not UTF-8: FF FE, an overlong NUL, a surrogate, a cut sequence, a lone continuation byte. */
const BAD_UTF8 = [[0xff, 0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe4, 0xb8], [0x80]].map((b) => Buffer.from(b));
const SEGMENTS = [
  'x',
  'decisions',
  '%00',
  'a%00b',
  '%E0%A4%A',
  '%ff',
  '..',
  '%2e%2e%2fetc',
  '1e999',
  '-0',
  encodeURIComponent('王芳'),
  encodeURIComponent('\u2028'),
  'x'.repeat(3000),
  'case-00000000-0000-0000-0000-000000000000',
  'loan-00000000',
  'hh_000000000000000000000000',
  '522701',
  'village-shiban',
];
const QUERY_VALUES = [
  '',
  'x',
  '%00',
  'a%00b',
  '%E0%A4%A',
  '1e999',
  '-0',
  '1.0',
  '-1',
  '0',
  '101',
  '9'.repeat(400),
  '%ED%A0%80',
  '%ff',
  '2026-02-30',
  '0000-01-01',
];
const KEYS = ['key-1', 'k'.repeat(200), 'k'.repeat(201), ' ', 'a b', '\u00e9'];
/** Other headers a client can get wrong (Node itself refuses NUL and line breaks in a header). */
const HEADERS: Record<string, string>[] = [
  { accept: 'text/csv' },
  { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { accept: '*/*;q=x, \u00e9' },
  { 'x-request-id': 'r'.repeat(2000) },
  { 'x-request-id': '\u00e9\u00ff' },
  { 'content-length-extra': '1e999' },
  { 'if-none-match': '"x"' },
  { 'accept-encoding': 'br;q=1e999' },
  { 'content-type': 'application/json; charset=' },
];
/** Credentials that are not a token of the directory, sent in place of the caller's. */
const BAD_AUTHORIZATION = ['Bearer', 'Bearer ', 'Bearer x', 'bearer x', 'Basic Zm9vOmJhcg==', `Bearer ${'t'.repeat(5000)}`, 'Bearer \u00e9', 'Bearer a b'];

/** Every path into a JSON value, objects and arrays included (the empty path is the whole). */
function pathsOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

const PLACEHOLDER = '"@@hostile-placeholder@@"';
/** The example with the value at `path` written as `raw`. */
function replaceAt(example: unknown, path: (string | number)[], raw: string): string {
  if (!path.length) return raw;
  const copy = structuredClone(example) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]] = JSON.parse(PLACEHOLDER);
  return JSON.stringify(copy).replace(PLACEHOLDER, raw);
}

/** The example with its first key given again, last (a last-wins parser would take the second). */
function duplicateFirstKey(example: unknown, raw: string): string {
  const json = JSON.stringify(example ?? {});
  if (!json.startsWith('{') || json === '{}') return `{"a":1,"a":${raw}}`;
  const first = Object.keys(example as object)[0];
  return `${json.slice(0, -1)},${JSON.stringify(first)}:${raw}}`;
}

function bodyArbitrary(op: Operation): fc.Arbitrary<{ bytes?: Buffer; headers: Record<string, string> }> {
  const example = op.example ?? {};
  const json = { 'content-type': 'application/json' };
  const fieldPaths = pathsOf(example);
  const text = (s: string, headers: Record<string, string> = json) => ({ bytes: Buffer.from(s, 'utf8'), headers });
  return fc.oneof(
    fc.constant({ headers: {} }), // no body
    fc.constantFrom(...fieldPaths).chain((p) => fc.constantFrom(...RAW_VALUES).map((raw) => text(replaceAt(example, p, raw)))),
    fc.constantFrom(...fieldPaths).chain((p) => fc.jsonValue({ maxDepth: 3 }).map((v) => text(replaceAt(example, p, JSON.stringify(v) ?? 'null')))),
    fc.constantFrom(...RAW_VALUES).map((raw) => text(duplicateFirstKey(example, raw))),
    fc.constantFrom(...RAW_BODIES).map((raw) => text(raw)),
    fc.constantFrom(...BAD_UTF8).map((bad) => {
      const s = JSON.stringify(example);
      const at = Math.max(1, s.indexOf('"') + 1);
      return { bytes: Buffer.concat([Buffer.from(s.slice(0, at)), bad, Buffer.from(s.slice(at))]), headers: json };
    }),
    fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown').map((encoding) => ({
      bytes: Buffer.from(JSON.stringify(example)),
      headers: { ...json, 'content-encoding': encoding },
    })),
    fc.constant({ bytes: gzipSync(Buffer.from(DEEP(3000))), headers: { ...json, 'content-encoding': 'gzip' } }),
    fc
      .constantFrom(
        'application/json; charset=utf-16',
        'application/json; charset=utf-32',
        'application/json; charset=latin1',
        'application/json; charset=x-nonsense',
        'text/plain',
        'text/csv',
        'application/x-www-form-urlencoded',
        'application/merge-patch+json',
      )
      .map((type) => text(JSON.stringify(example), { 'content-type': type })),
  );
}

function queryArbitrary(op: Operation): fc.Arbitrary<string> {
  const names = [...op.queryParams, 'stage', 'x'];
  const one = fc
    .tuple(fc.constantFrom(...names), fc.constantFrom(...QUERY_VALUES), fc.constantFrom('plain', 'array', 'object', 'repeated'))
    .map(([n, v, form]) => {
      switch (form) {
        case 'plain':
          return `${n}=${v}`;
        case 'array':
          return `${n}[]=${v}`;
        case 'object':
          return `${n}[a]=${v}`;
        case 'repeated':
          return `${n}=${v}&${n}=${v}`;
      }
    });
  return fc.array(one, { maxLength: 3 }).map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
}

function requestArbitrary(op: Operation): fc.Arbitrary<HostileRequest> {
  const segments = fc.array(fc.constantFrom(...SEGMENTS), { minLength: op.pathParams.length, maxLength: op.pathParams.length });
  const key = fc.option(fc.constantFrom(...KEYS), { nil: undefined });
  const rarely = <T>(values: T[], weight: number) =>
    fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...values) });
  const extra = rarely(HEADERS, 2);
  const authorization = rarely(BAD_AUTHORIZATION, 7); // mostly the caller's own token
  return fc.tuple(segments, queryArbitrary(op), bodyArbitrary(op), key, extra, authorization).map(([values, query, body, k, more, auth]) => {
    let path = op.path;
    op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, values[i])));
    const headers = { ...body.headers, ...(more ?? {}), ...(k === undefined ? {} : { 'idempotency-key': k }) };
    return { path, query, body: body.bytes, headers, authorization: auth };
  });
}

/** One request as sent, bytes and headers as they are (fetch would refuse a GET with a body). */
function send(baseUrl: string, method: string, target: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = request(
      { host: url.hostname, port: url.port, method, path: target, headers: { ...headers, 'content-length': String(body?.length ?? 0) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a failure prints: enough to send the request again by hand. */
function describe5xx(op: Operation, role: string, req: HostileRequest, status: number, answer: string): string {
  const body = req.body
    ? req.body.length > 300
      ? `${req.body.subarray(0, 300).toString('hex')}… (${req.body.length} bytes, hex)`
      : req.body.toString('hex')
    : '';
  const as = req.authorization === undefined ? role : `Authorization: ${req.authorization.slice(0, 40)}`;
  return `${op.method.toUpperCase()} ${req.path.slice(0, 300)}${req.query} as ${as} → ${status} ${answer.slice(0, 300)}; headers ${JSON.stringify(req.headers)}; body ${body}; seed ${SEED}`;
}

describe('generated hostile input, every operation, every role: never a 5xx', () => {
  let api: ApiHarness;
  let operations: Operation[] = [];
  /** One demo user of each role, and nobody. */
  const callers: (string | undefined)[] = [...ROLES.map((role) => DEMO_USERS.find((u) => u.role === role)?.userId), undefined];

  beforeAll(async () => {
    api = await apiHarness();
    const doc = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { example?: unknown }> } }>>;
    };
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const params = op.parameters ?? [];
        operations.push({
          method,
          path,
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
          example: op.requestBody?.content?.['application/json']?.example,
        });
      }
    // Logging out ends the caller's token: last, so the others run with every role's token.
    operations = [...operations.filter((o) => o.path !== '/auth/logout'), ...operations.filter((o) => o.path === '/auth/logout')];
  });
  afterAll(() => api?.close());

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(80);
    expect(callers.filter(Boolean)).toHaveLength(ROLES.length);
  });

  it('answers every generated request below 500', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const [i, op] of operations.entries()) {
      for (const [j, caller] of callers.entries()) {
        await fc
          .assert(
            fc.asyncProperty(requestArbitrary(op), async (req) => {
              const authorization = req.authorization ?? (caller ? `Bearer ${api.tokens[caller]}` : undefined);
              const headers = { ...req.headers, ...(authorization ? { authorization } : {}) };
              sent++;
              try {
                const res = await send(api.baseUrl, op.method.toUpperCase(), `${req.path}${req.query}`, headers, req.body);
                if (res.status >= 500) failures.push(describe5xx(op, caller ?? 'nobody', req, res.status, res.text));
                return res.status < 500;
              } catch (e) {
                failures.push(describe5xx(op, caller ?? 'nobody', req, 0, `no answer: ${(e as Error).message}`));
                return false;
              }
            }),
            { seed: SEED + i * 101 + j, numRuns: RUNS_PER_ROLE, endOnFailure: true },
          )
          .catch((e: Error) => {
            // A failed run is collected above with its request, so one run reports them all; anything else is a fault of the test.
            if (!/Property failed/.test(e.message)) failures.push(`${op.method} ${op.path}: ${e.message.slice(0, 500)}`);
          });
      }
    }
    expect({ failed: failures.length, first: failures.slice(0, 10) }).toEqual({ failed: 0, first: [] });
    expect(sent).toBeGreaterThanOrEqual(operations.length * callers.length * RUNS_PER_ROLE);
  });
});
