import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface OpenApiVerdict {
  /** The OpenAPI version the validator read the document as (e.g. '3.1'). */
  version: string;
  /** @seriousme/openapi-schema-validator: the document against the OpenAPI schema, and every $ref resolved. */
  valid: boolean;
  errors: unknown;
  /** Schema Objects that are not valid JSON Schema 2020-12 (the OAS 3.1 schema leaves them to their dialect), by JSON pointer. */
  schemaErrors: { at: string; errors: unknown }[];
}

// The validator is an ES module, which jest's CommonJS runtime cannot load: it runs in a node of its own.
const SCRIPT = `
import { createRequire } from 'node:module';
import { Validator } from '@seriousme/openapi-schema-validator';
let text = '';
for await (const chunk of process.stdin) text += chunk;
const doc = JSON.parse(text);
const validator = new Validator();
const result = await validator.validate(structuredClone(doc));
// Every Schema Object against the JSON Schema 2020-12 meta-schema, with the validator's own Ajv.
const Ajv2020 = createRequire(import.meta.resolve('@seriousme/openapi-schema-validator'))('ajv/dist/2020.js').default;
const ajv = new Ajv2020({ strict: false });
const schemaErrors = [];
const check = (at, schema) => { if (schema !== undefined && !ajv.validateSchema(schema)) schemaErrors.push({ at, errors: ajv.errors }); };
const each = (o, f) => Object.entries(o ?? {}).forEach(([k, v]) => f(k, v));
const esc = (k) => String(k).replace(/~/g, '~0').replace(/\\//g, '~1');
each(doc.components?.schemas, (k, s) => check('#/components/schemas/' + esc(k), s));
each(doc.components?.headers, (k, h) => check('#/components/headers/' + esc(k) + '/schema', h.schema));
each(doc.paths, (p, ops) => each(ops, (m, op) => {
  const base = '#/paths/' + esc(p) + '/' + m;
  (op.parameters ?? []).forEach((x, i) => check(base + '/parameters/' + i + '/schema', x.schema));
  each(op.requestBody?.content, (t, c) => check(base + '/requestBody/content/' + esc(t) + '/schema', c.schema));
  each(op.responses, (s, r) => {
    each(r.content, (t, c) => check(base + '/responses/' + s + '/content/' + esc(t) + '/schema', c.schema));
    each(r.headers, (h, x) => check(base + '/responses/' + s + '/headers/' + esc(h) + '/schema', x.schema));
  });
}));
process.stdout.write(JSON.stringify({ version: validator.version, valid: result.valid, errors: result.errors ?? null, schemaErrors }));
`;

/** Validates an OpenAPI document with @seriousme/openapi-schema-validator, and each of its schemas as JSON Schema 2020-12. */
export function validateOpenApi(doc: unknown): Promise<OpenApiVerdict> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT],
      { cwd: join(__dirname, '..', '..'), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`openapi validator: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as OpenApiVerdict);
      },
    );
    child.stdin?.end(JSON.stringify(doc));
  });
}
