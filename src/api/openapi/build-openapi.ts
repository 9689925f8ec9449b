import { z } from 'zod';
import { routes, type RouteSpec } from '../contract/routes';
import { ProblemView } from '../contract/schemas';

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

function parameters(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const js = json(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  }
  if (spec.idempotent) {
    out.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 },
      description: 'Repeat a request with the same key to get the first result without repeating its effect; the same key with a different body is 422; while the first is still running, 409 with Retry-After. Keys expire 24 hours (IDEMPOTENCY_KEY_TTL) after first use; use a new key for every new request.' });
  }
  return out;
}

/** The OpenAPI 3 document, generated from the route registry's zod schemas. */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const problemContent = { 'application/problem+json': { schema: json(ProblemView, 'output') } };
  for (const [operationId, spec] of Object.entries(routes) as [string, RouteSpec][]) {
    const responses: Record<string, unknown> = {
      [spec.success.status]: { description: spec.success.description, ...(spec.success.schema ? { content: { 'application/json': { schema: json(spec.success.schema, 'output') } } } : {}) },
    };
    for (const status of spec.errors) responses[status] = { description: `problem (${status})`, content: problemContent };
    const roles = spec.access === 'public' ? 'anyone' : spec.access === 'authenticated' ? 'any authenticated user' : spec.access.join(', ');
    paths[spec.path] ??= {};
    paths[spec.path][spec.method] = {
      operationId, tags: [spec.tag], summary: spec.summary,
      description: `${spec.description ? `${spec.description}\n\n` : ''}Who: ${roles}.`,
      ...(spec.access === 'public' ? { security: [] } : {}),
      parameters: parameters(spec),
      ...(spec.body ? { requestBody: { required: true, content: {
        'application/json': { schema: json(spec.body, 'input'), example: spec.example },
        ...Object.fromEntries(Object.entries(spec.otherBodies ?? {}).map(([type, b]) => [type, { schema: json(b.schema, 'input'), example: b.example }])),
      } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Aid disbursement engine', version: '0.1.0', description: 'Identification cases, special funds and revolving loans. Money is integer fen. Errors are application/problem+json.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a demo token from demo/users.json' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
