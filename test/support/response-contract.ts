import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildOpenApi } from '../../src/api/openapi/build-openapi';

/** What came back from the API, as much of it as the contract speaks of. */
export interface Exchange {
  method: string;
  /** The path as requested, with its query string (which the contract's paths leave out). */
  path: string;
  status: number;
  headers: Headers;
  /** The body as text (binary bodies are not read: their status and content type are checked only). */
  text: string;
}

interface SchemaError {
  instancePath: string;
  schemaPath: string;
  message?: string;
  params?: Record<string, unknown>;
}
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
interface Ajv2020 {
  addSchema(schema: unknown, key: string): unknown;
  getSchema(ref: string): ValidateFunction | undefined;
}

// Ajv 2020 (the dialect of OpenAPI 3.1) is the one the document validator brings along; the project's own `ajv` is version 6.
const Ajv = createRequire(__filename)(
  join(__dirname, '..', '..', 'node_modules', '@seriousme', 'openapi-schema-validator', 'node_modules', 'ajv', 'dist', '2020.js'),
).default as new (opts: Record<string, unknown>) => Ajv2020;

const DOC_ID = 'openapi.json';
/** The formats zod writes; each also carries a `pattern` or is checked by its own keywords, so Ajv only needs to know their names. */
const FORMATS = ['date', 'date-time', 'time', 'duration', 'email', 'uuid', 'uri', 'ipv4', 'ipv6', 'binary', 'int32', 'int64', 'regex', 'byte'];

interface Compiled {
  doc: any;
  ajv: Ajv2020;
  /** The document's path templates, each as a regular expression, most literal segments first. */
  templates: { template: string; re: RegExp; literals: number }[];
}

let compiled: Compiled | undefined;

/** The document as the API serves it at /openapi.json, generated in-process from the same zod contract. */
function contract(): Compiled {
  if (compiled) return compiled;
  const doc = buildOpenApi() as any;
  const ajv = new Ajv({ strict: false, allErrors: true, formats: Object.fromEntries(FORMATS.map((f) => [f, true])) });
  ajv.addSchema(doc, DOC_ID);
  const templates = Object.keys(doc.paths)
    .map((template) => {
      const segments = template.split('/');
      const re = new RegExp(`^${segments.map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`);
      return { template, re, literals: segments.filter((s) => !s.startsWith('{')).length };
    })
    .sort((a, b) => b.literals - a.literals);
  compiled = { doc, ajv, templates };
  return compiled;
}

/** The files of the docs viewer (Swagger UI's scripts and styles): served beside the API, not operations of it. */
const VIEWER_FILES = /^\/docs\/assets\/[^/]+$/;

/** A JSON pointer token (RFC 6901). */
const token = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The media type without its parameters (`text/csv; charset=utf-8` is `text/csv`). */
export const mediaType = (contentType: string | null): string | undefined => contentType?.split(';')[0].trim().toLowerCase() || undefined;

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
/** Bodies the contract describes as text; anything else (xlsx, octet-stream, `format: binary`) is only checked for its type. */
const isText = (type: string, schema: any) => (isJson(type) || type.startsWith('text/')) && schema?.format !== 'binary';

/** The value at a JSON pointer of the body, shortened: what the schema refused. */
function valueAt(body: unknown, pointer: string): string {
  let v: unknown = body;
  for (const t of pointer.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[t.replace(/~1/g, '/').replace(/~0/g, '~')];
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeErrors(errors: SchemaError[] | null | undefined, body: unknown): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => {
      const params = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
      return `  body${e.instancePath} = ${valueAt(body, e.instancePath)}: ${e.message}${params} (schema ${e.schemaPath})`;
    })
    .join('\n');
}

/**
 * What is wrong with an answer of the API by its OpenAPI document, or undefined when it agrees:
 * the path matches a template, the method is an operation of it, the status is one the
 * operation declares (or its `default`), the content type is one declared for that status (none
 * when it declares no content), every required header is sent, and the body is valid against
 * the schema. A path the document does not have must answer 404, and a method its path does not
 * have 405 with an Allow header (the document's description promises both), as problem+json.
 */
export function contractMismatch(x: Exchange): string | undefined {
  const { doc, ajv, templates } = contract();
  const method = x.method.toLowerCase();
  const pathOnly = x.path.split(/[?#]/)[0];
  const type = mediaType(x.headers.get('content-type'));
  const problemCheck = (status: number, what: string): string | undefined => {
    if (x.status !== status) return `${x.method} ${pathOnly}: ${what}, so the answer must be ${status}, not ${x.status}`;
    if (type !== 'application/problem+json') return `${x.method} ${pathOnly} ${x.status}: content type ${type ?? '(none)'}, expected application/problem+json`;
    return validateBody(ajv, `${DOC_ID}#/components/schemas/Problem`, x, `${x.method} ${pathOnly} ${x.status} (${what})`);
  };
  if (VIEWER_FILES.test(pathOnly)) return undefined;
  const match = templates.find((t) => t.re.test(pathOnly));
  if (!match) return problemCheck(404, 'the document has no such path');
  const item = doc.paths[match.template];
  const op = item[method];
  const opName = `${op?.operationId ?? '?'} (${x.method} ${match.template})`;
  if (!op) {
    const wrong = problemCheck(405, `the document has no ${x.method} on ${match.template}`);
    if (wrong) return wrong;
    const allow = (x.headers.get('allow') ?? '').toLowerCase();
    const missing = Object.keys(item).filter((m) => !allow.includes(m));
    return missing.length ? `${x.method} ${pathOnly} 405: the Allow header "${allow}" leaves out ${missing.join(', ')}` : undefined;
  }
  const key = String(x.status) in op.responses ? String(x.status) : 'default' in op.responses ? 'default' : undefined;
  if (!key) return `${opName}: answered ${x.status}, which the document does not declare (declared: ${Object.keys(op.responses).join(', ')})`;
  const response = op.responses[key];
  const base = `${DOC_ID}#/paths/${token(match.template)}/${method}/responses/${key}`;
  for (const [name, header] of Object.entries<any>(response.headers ?? {})) {
    const h = header.$ref ? doc.components.headers[header.$ref.split('/').pop()] : header;
    if (h.required && x.headers.get(name) === null) return `${opName} ${x.status}: the required header ${name} is missing`;
  }
  const declaredTypes = Object.keys(response.content ?? {});
  if (declaredTypes.length === 0) {
    return x.text === '' ? undefined : `${opName} ${x.status}: declares no body, but one came (${type ?? 'no content type'}, ${x.text.length} characters)`;
  }
  if (!type || !declaredTypes.includes(type)) {
    return `${opName} ${x.status}: content type ${type ?? '(none)'}, but the document declares ${declaredTypes.join(', ')}`;
  }
  if (!isText(type, response.content[type].schema)) return undefined;
  return validateBody(ajv, `${base}/content/${token(type)}/schema`, x, `${opName} ${x.status} ${type}`);
}

function validateBody(ajv: Ajv2020, ref: string, x: Exchange, what: string): string | undefined {
  const validate = ajv.getSchema(ref);
  if (!validate) return `${what}: the document has no schema at ${ref}`;
  const type = mediaType(x.headers.get('content-type')) ?? '';
  let body: unknown = x.text;
  if (isJson(type)) {
    try {
      body = JSON.parse(x.text);
    } catch {
      return `${what}: the body is not JSON: ${x.text.slice(0, 200)}`;
    }
  }
  if (validate(body)) return undefined;
  return `${what}: the body does not match ${ref.slice(DOC_ID.length)}\n${describeErrors(validate.errors, body)}\n  body: ${x.text.slice(0, 500)}`;
}

/** Fails (throws) when an answer of the API disagrees with its OpenAPI document. */
export function assertContract(x: Exchange): void {
  const wrong = contractMismatch(x);
  if (wrong) throw new Error(`the answer disagrees with /openapi.json: ${wrong}`);
}

/** Media types whose body is read as text for the check; the rest (spreadsheets, binaries) are not read. */
const readsAsText = (type: string | undefined) => !type || isJson(type) || type.startsWith('text/');

/**
 * fetch() for a test that needs the raw Response (bytes, headers, streaming), with the answer
 * checked against the document as every harness call is. Not for other servers (the test bank).
 */
export async function contractFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  const type = mediaType(res.headers.get('content-type'));
  const text = readsAsText(type) ? await res.clone().text() : '';
  const { pathname, search } = new URL(url);
  assertContract({ method: init.method ?? 'GET', path: pathname + search, status: res.status, headers: res.headers, text });
  return res;
}
