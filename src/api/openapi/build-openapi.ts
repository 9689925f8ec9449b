import { z } from 'zod';
import { routes, type RouteSpec } from '../contract/routes';
import { IdempotencyKeyHeader } from '../contract/route-spec';
import { ProblemView } from '../contract/schemas';
import { acceptsIdempotencyKey, errorStatuses } from './failures';
import { jsonSchema } from './json-schema';

/** The document and its viewer: served by DocsController, listed with the rest. */
export const documentRoutes = {
  openApiDocument: {
    method: 'get',
    path: '/openapi.json',
    tag: 'system',
    summary: 'This OpenAPI 3.1 document',
    access: 'public',
    success: { status: 200, description: 'the document, generated from the zod schemas that validate requests', schema: z.record(z.string(), z.unknown()) },
    errors: [],
  },
  apiDocs: {
    method: 'get',
    path: '/docs',
    tag: 'system',
    summary: 'An interactive viewer of this document (Swagger UI)',
    access: 'public',
    success: { status: 200, description: 'an HTML page', otherTypes: { 'text/html': z.string() } },
    errors: [],
  },
} satisfies Record<string, RouteSpec>;

/** Every operation the document lists: the API's routes and the document's own. */
export const documentedRoutes = (): Record<string, RouteSpec> => ({ ...routes, ...documentRoutes });

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const problemRef = { $ref: '#/components/schemas/Problem' };
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

function parameters(spec: RouteSpec, defs: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input', defs) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, { description, ...s }] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), ...(description ? { description } : {}), schema: s });
    }
  }
  if (acceptsIdempotencyKey(spec)) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: jsonSchema(IdempotencyKeyHeader, 'input', defs),
      description:
        'Repeat a request with the same key to get the first answer without repeating its effect (the answer then carries Idempotent-Replayed: true); ' +
        'the same key with a different request is 422; while the first is still running, 409 with Retry-After. ' +
        `${spec.idempotent ? 'What the request creates takes its id from the key, so a retry never creates a second one. ' : ''}` +
        'Keys expire 24 hours (IDEMPOTENCY_KEY_TTL) after first use; use a new key for every new request.',
    });
  }
  return out;
}

function responses(spec: RouteSpec, defs: Record<string, unknown>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (spec.success.schema) content['application/json'] = { schema: jsonSchema(spec.success.schema, 'output', defs) };
  for (const [type, schema] of Object.entries(spec.success.otherTypes ?? {})) content[type] = { schema: jsonSchema(schema, 'output', defs) };
  const out: Record<string, unknown> = {
    [spec.success.status]: {
      description: spec.success.description,
      ...(acceptsIdempotencyKey(spec) ? { headers: { 'Idempotent-Replayed': headerRef('IdempotentReplayed') } } : {}),
      ...(Object.keys(content).length ? { content } : {}),
    },
  };
  for (const [status, why] of errorStatuses(spec)) {
    const headers: Record<string, unknown> = {};
    if (status === 401) headers['WWW-Authenticate'] = headerRef('WWWAuthenticate');
    if (status === 409 && acceptsIdempotencyKey(spec)) headers['Retry-After'] = headerRef('RetryAfterWhileRunning');
    if (status === 503) headers['Retry-After'] = headerRef('RetryAfter');
    const own = spec.errorBodies?.[status];
    out[status] = {
      description: `${TITLES[status] ?? 'Error'}: ${why.join('; ')}${own ? `; as application/json, ${own.description}` : ''}.`,
      ...(Object.keys(headers).length ? { headers } : {}),
      content: {
        ...(own ? { 'application/json': { schema: jsonSchema(own.schema, 'output', defs) } } : {}),
        'application/problem+json': { schema: problemRef },
      },
    };
  }
  return out;
}

function operation(operationId: string, spec: RouteSpec, defs: Record<string, unknown>): Record<string, unknown> {
  const roles = spec.access === 'public' ? 'anyone' : spec.access === 'authenticated' ? 'any authenticated user' : spec.access.join(', ');
  return {
    operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: `${spec.description ? `${spec.description}\n\n` : ''}Who: ${roles}.`,
    ...(spec.access === 'public' ? { security: [] } : {}),
    parameters: parameters(spec, defs),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: jsonSchema(spec.body, 'input', defs), ...(spec.example === undefined ? {} : { example: spec.example }) },
              ...Object.fromEntries(
                Object.entries(spec.otherBodies ?? {}).map(([type, b]) => [
                  type,
                  { schema: jsonSchema(b.schema, 'input', defs), ...(b.example === undefined ? {} : { example: b.example }) },
                ]),
              ),
            },
          },
        }
      : {}),
    responses: responses(spec, defs),
  };
}

/** The OpenAPI 3.1 document, generated from the route registry's zod schemas (JSON Schema 2020-12). */
export function buildOpenApi(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, spec] of Object.entries(documentedRoutes())) {
    paths[spec.path] ??= {};
    paths[spec.path][spec.method] = operation(operationId, spec, defs);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aid disbursement engine',
      version: '0.1.0',
      description:
        'Identification cases, special funds and revolving loans. Money is integer fen. Errors are application/problem+json (RFC 9457). ' +
        'Any path answers a method it does not have with 405 and an Allow header.',
    },
    components: {
      schemas: { ...defs, Problem: jsonSchema(ProblemView, 'output', defs) },
      headers: {
        RetryAfter: { description: 'seconds to wait before retrying (with the same Idempotency-Key)', required: true, schema: { type: 'integer', minimum: 0 } },
        RetryAfterWhileRunning: {
          description: 'sent when the first request with the Idempotency-Key is still running: seconds to wait before retrying',
          schema: { type: 'integer', minimum: 0 },
        },
        WWWAuthenticate: { description: 'always `Bearer`', required: true, schema: { type: 'string', const: 'Bearer' } },
        IdempotentReplayed: {
          description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string', const: 'true' },
        },
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'a session token from POST /auth/login, or an API token (the demo ones are in demo/users.json)',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
