import { z } from 'zod';

type Json = Record<string, unknown>;
type StringCheck = { _zod: { def: { check: string; tx?: (s: string) => string } } };

/**
 * A text that the schema trims before measuring (`.trim().min(1)`) refuses a blank one, which
 * minLength alone does not say: the document adds `pattern: \S` (some non-space character).
 */
function refusesBlank(schema: unknown, js: Json): boolean {
  const def = (schema as { _zod?: { def?: { type?: string; checks?: StringCheck[] } } })._zod?.def;
  const min = js.minLength;
  if (def?.type !== 'string' || typeof min !== 'number' || min < 1 || js.pattern !== undefined) return false;
  let blank = ' '.repeat(min);
  for (const c of def.checks ?? []) if (c._zod.def.check === 'overwrite' && c._zod.def.tx) blank = c._zod.def.tx(blank);
  return blank.length < min;
}

/**
 * A zod schema as a JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), as the request
 * (`input`: before defaults and transforms) or the response (`output`) looks on the wire.
 * Named definitions (`.meta({ id })`) go to `defs`, to be placed in components.schemas.
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output', defs: Record<string, unknown>): Json {
  const full = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema: out }) => {
      if (refusesBlank(zodSchema, out as Json)) out.pattern = '\\S';
    },
  }) as Json & { $defs?: Json };
  const { $defs, ...js } = full;
  delete js.$schema; // the document's dialect is JSON Schema 2020-12 already
  for (const [name, d] of Object.entries($defs ?? {})) defs[name] = relink(d);
  return relink(js) as Json;
}

/** `#/$defs/X` of a standalone schema is `#/components/schemas/X` in the document. */
function relink(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(relink);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? x.replace(/^#\/\$defs\//, '#/components/schemas/') : relink(x)]),
  );
}
