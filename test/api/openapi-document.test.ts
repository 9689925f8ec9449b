import { IdempotencyKeyHeader } from '../../src/api/contract/route-spec';
import { routes } from '../../src/api/contract/routes';
import { ReconciliationBody } from '../../src/api/contract/reconciliation-schemas';
import { buildOpenApi, documentedRoutes } from '../../src/api/openapi/build-openapi';
import { failuresOf } from '../../src/api/openapi/failures';
import { validateOpenApi } from '../support/openapi-validator';

const doc = buildOpenApi() as any;
const op = (path: string, method: string) => doc.paths[path][method];
const declared = (path: string, method: string) => Object.keys(op(path, method).responses).map(Number);
const bodySchema = (path: string) => op(path, 'post').requestBody.content['application/json'].schema;
const param = (path: string, method: string, name: string) => op(path, method).parameters.find((p: any) => p.name === name);

/** Every value of a key anywhere in the document. */
function valuesOf(key: string, node: unknown = doc, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => valuesOf(key, n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push(v);
      valuesOf(key, v, out);
    }
  }
  return out;
}

/** Issue #8 item 6: the OpenAPI document, generated from the zod schemas, says what the server does. */
describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, and each of its schemas is valid JSON Schema 2020-12 (@seriousme/openapi-schema-validator)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const verdict = await validateOpenApi(doc);
    expect(verdict).toEqual({ version: '3.1', valid: true, errors: null, schemaErrors: [] });
  });

  it('the validator would catch the old defect: a boolean exclusiveMinimum (OpenAPI 3.0 style) is refused', async () => {
    const broken = structuredClone(doc);
    broken.paths['/funds/{fundId}/deposits'].post.requestBody.content['application/json'].schema.properties.amountFen = {
      type: 'integer',
      exclusiveMinimum: true,
    };
    const verdict = await validateOpenApi(broken);
    expect(verdict.schemaErrors.map((e) => e.at)).toEqual(['#/paths/~1funds~1{fundId}~1deposits/post/requestBody/content/application~1json/schema']);
  });

  it('amounts are positive as JSON Schema 2020-12 says it (exclusiveMinimum: 0) in deposits, disbursements and supplier receipts', () => {
    const positive = { type: 'integer', exclusiveMinimum: 0, maximum: 1_000_000_000_000 };
    expect(bodySchema('/funds/{fundId}/deposits').properties.amountFen).toMatchObject(positive);
    const disbursement = bodySchema('/disbursements');
    expect(disbursement.properties.amountFen).toMatchObject(positive);
    const supplier = disbursement.properties.payee.anyOf.find((s: any) => s.properties.type.const === 'supplier');
    expect(supplier.properties.receipt.properties.amountFen).toMatchObject(positive);
    expect(valuesOf('exclusiveMinimum').every((v) => typeof v === 'number')).toBe(true);
    expect(valuesOf('exclusiveMaximum').every((v) => typeof v === 'number')).toBe(true);
  });

  it('nullable and optional fields are JSON Schema 2020-12 (type null in anyOf, absent from required), no OpenAPI 3.0 `nullable`', () => {
    expect(valuesOf('nullable')).toEqual([]);
    const view = op('/cases/{caseId}', 'get').responses['200'].content['application/json'].schema;
    expect(view.properties.reason).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] });
    expect(view.required).toContain('reason');
    const health = op('/health', 'get').responses['200'].content['application/json'].schema;
    expect(health.properties.database.required).toEqual(['ok']); // latencyMs is optional
    // Parameters: a query default is not required, a path parameter always is, descriptions sit on the parameter.
    expect(param('/cases', 'get', 'limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', default: 20, minimum: 1, maximum: 100 } });
    expect(param('/cases/{caseId}', 'get', 'caseId')).toMatchObject({
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^case-[0-9a-f-]{36}$' },
    });
    expect(param('/funds/{fundId}/payouts', 'get', 'from')).toMatchObject({ required: true, description: expect.stringContaining('inclusive') });
    expect(param('/funds/{fundId}/payouts', 'get', 'from').schema.description).toBeUndefined();
  });

  it('declares the Idempotency-Key header as the server checks it: 1 to 200 visible ASCII characters', () => {
    const header = param('/funds', 'post', 'Idempotency-Key');
    expect(header).toMatchObject({
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$' },
    });
    const pattern = new RegExp(header.schema.pattern);
    for (const key of ['a', '!~', 'x'.repeat(200), 'order-2026-01/7']) {
      expect([key.length, pattern.test(key), IdempotencyKeyHeader.safeParse(key).success]).toEqual([key.length, true, true]);
    }
    for (const key of ['', 'has space', 'x'.repeat(201), 'tab\there', 'ключ']) {
      expect([key, pattern.test(key) && key.length <= 200, IdempotencyKeyHeader.safeParse(key).success]).toEqual([key, false, false]);
    }
  });

  it("every operation declares each status its shape can produce, with Retry-After on 503 and on the key's 409", () => {
    for (const [operationId, spec] of Object.entries(documentedRoutes())) {
      const o = op(spec.path, spec.method);
      expect(o.operationId).toBe(operationId);
      const statuses = declared(spec.path, spec.method);
      for (const f of failuresOf(spec))
        expect({ operationId, kind: f.kind, declared: statuses.includes(f.status) }).toEqual({ operationId, kind: f.kind, declared: true });
      for (const s of spec.errors) expect({ operationId, s, declared: statuses.includes(s) }).toEqual({ operationId, s, declared: true });
      expect(o.responses['503'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/RetryAfter' });
      if (spec.method === 'post' && spec.access !== 'public') expect(o.responses['409'].headers['Retry-After']).toBeDefined();
      for (const [status, r] of Object.entries<any>(o.responses)) {
        if (Number(status) >= 400) expect(r.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
  });

  it('names the statuses the issue found undeclared', () => {
    const withPathParams = ['getCase', 'caseEvents', 'getFund', 'fundLedger', 'getDisbursement', 'getHousehold', 'getSettings', 'claimTask', 'releaseTask'];
    for (const id of withPathParams) {
      const spec = (routes as Record<string, any>)[id];
      expect({ id, has400: declared(spec.path, spec.method).includes(400) }).toEqual({ id, has400: true });
    }
    for (const [path, method] of [
      ['/cases/{caseId}/objections', 'post'],
      ['/households/{householdId}/exit', 'post'],
      ['/funds', 'post'],
      ['/funds/{fundId}/deposits', 'post'],
      ['/jurisdictions/{code}/settings', 'post'],
    ]) {
      expect({ path, statuses: declared(path, method) }).toEqual({ path, statuses: expect.arrayContaining([409, 422, 503]) });
    }
    for (const path of ['/cases', '/cases/{caseId}/events', '/tasks', '/funds/{fundId}/ledger', '/supervision/stalled']) {
      expect({ path, cursor: Boolean(param(path, 'get', 'cursor')), statuses: declared(path, 'get') }).toEqual({
        path,
        cursor: true,
        statuses: expect.arrayContaining([400]),
      });
    }
    for (const path of Object.keys(doc.paths)) {
      for (const [method, o] of Object.entries<any>(doc.paths[path])) {
        if (o.requestBody) expect({ path, method, statuses: declared(path, method) }).toEqual({ path, method, statuses: expect.arrayContaining([413, 415]) });
      }
    }
  });

  it('says what the server enforces: real dates, a payouts period, no blank text, a reason to reject', () => {
    // Days: a real calendar day (format: date, and a pattern that refuses 2026-02-30).
    for (const day of [
      param('/funds/{fundId}/payouts', 'get', 'from').schema,
      param('/funds/{fundId}/payouts', 'get', 'to').schema,
      bodySchema('/funds/{fundId}/reconciliations').properties.date,
    ]) {
      expect(day.format).toBe('date');
      expect(new RegExp(day.pattern).test('2026-02-30')).toBe(false);
      expect(new RegExp(day.pattern).test('2024-02-29')).toBe(true);
    }
    expect(ReconciliationBody.safeParse({ date: '2026-02-30' }).success).toBe(false);
    expect(bodySchema('/funds/{fundId}/reconciliations').properties.date.description).toMatch(/today or earlier/);
    // The period: its rule lives in the query schema the server validates with.
    const payouts = routes.listPayouts.query;
    expect(payouts.safeParse({ from: '2026-01-01', to: '2026-12-31' }).success).toBe(true);
    expect(payouts.safeParse({ from: '2026-02-01', to: '2026-01-31' }).error?.issues.map((i) => i.path)).toEqual([['to']]);
    expect(payouts.safeParse({ from: '2025-01-01', to: '2026-01-01' }).success).toBe(true); // 366 days, both ends included
    expect(payouts.safeParse({ from: '2025-01-01', to: '2026-01-02' }).error?.issues.map((i) => i.path)).toEqual([['to']]);
    expect(param('/funds/{fundId}/payouts', 'get', 'to').description).toMatch(/on or after `from`/);
    // Text the server trims before measuring refuses blanks: the document says so with a pattern.
    expect(bodySchema('/cases/{caseId}/objections').properties.grounds).toMatchObject({ minLength: 1, pattern: '\\S' });
    expect(new RegExp(bodySchema('/cases/{caseId}/objections').properties.grounds.pattern).test(' \t\n ')).toBe(false);
    expect(routes.lodgeObjection.body.safeParse({ grounds: ' \t\n ' }).success).toBe(false);
    // A reject (or return) needs a reason: zod checks it, and the schema says it as if/then.
    const reasonRule = (values: string[]) => ({
      if: { properties: { decision: { enum: values } }, required: ['decision'] },
      then: { required: ['reason'], properties: { reason: { type: 'string', pattern: '\\S' } } },
    });
    expect(bodySchema('/cases/{caseId}/decisions')).toMatchObject(reasonRule(['reject', 'return']));
    expect(bodySchema('/disbursements/{disbursementId}/decisions')).toMatchObject(reasonRule(['reject']));
    expect(routes.decide.body.safeParse({ stage: 'town_audit', decision: 'reject' }).error?.issues.map((i) => i.path)).toEqual([['reason']]);
    expect(routes.decide.body.safeParse({ stage: 'town_audit', decision: 'return', reason: '   ' }).success).toBe(false);
    expect(routes.decide.body.safeParse({ stage: 'town_audit', decision: 'approve' }).success).toBe(true);
    expect(routes.decideDisbursement.body.safeParse({ decision: 'reject' }).error?.issues.map((i) => i.path)).toEqual([['reason']]);
    expect(routes.decideDisbursement.body.safeParse({ decision: 'approve' }).success).toBe(true);
    // CSV intake needs ?village=: OpenAPI cannot make a parameter required for one media type only, so the parameter says it.
    expect(param('/intake/batches', 'post', 'village')).toMatchObject({
      required: false,
      description: expect.stringMatching(/required with a text\/csv body/),
    });
  });

  it('lists the CSV form of the payouts, and the document and its viewer themselves', () => {
    expect(Object.keys(op('/funds/{fundId}/payouts', 'get').responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(op('/openapi.json', 'get')).toMatchObject({ security: [], responses: { 200: { content: { 'application/json': expect.anything() } } } });
    expect(op('/docs', 'get')).toMatchObject({ security: [], responses: { 200: { content: { 'text/html': expect.anything() } } } });
  });

  it('bounds the batch decision and says who gives the decision; each result is a case or a problem', () => {
    const body = bodySchema('/cases/decisions');
    expect(body.properties.items).toMatchObject({ type: 'array', minItems: 1, maxItems: 500 });
    expect(body.properties.items.items.required).toEqual(['caseId', 'householdHash']);
    expect(body.properties.reason).toEqual(bodySchema('/cases/{caseId}/decisions').properties.reason);
    expect(body).toMatchObject({ if: { not: { required: ['decision'] } }, then: { properties: { items: { items: { required: ['decision'] } } } } });
    const results = op('/cases/decisions', 'post').responses['200'].content['application/json'].schema.properties.results.items.anyOf;
    expect(results.map((r: any) => r.required)).toEqual([
      ['caseId', 'status', 'case'],
      ['caseId', 'status', 'problem'],
    ]);
  });
});
