import type { z } from 'zod';
import { parentOf } from './fen-literals';
import type { JsonPath, NumberLiteral } from './json-scan';

/**
 * An integer field takes only an integer literal: JSON.parse reads `1.0`, `1E2` and `-0` as the
 * integers 1, 100 and 0, so the JSON body's scan (json-scan.ts) lists such literals and they
 * are marked here, on the object or array that holds them. Whether a field is an integer field
 * only its schema knows (a fractional field such as landMu takes `1.0`): `integerLiteralIssues`
 * asks the schema, with each marked value made fractional, and refuses those it then calls
 * not an integer. Marks live as long as the parsed body.
 */

export const INTEGER_LITERAL_MESSAGE = '整数须写成整数形式 (an integer must be written as an integer literal: 1.0, 1E2 and -0 are refused)';

const marks = new WeakMap<object, Set<string | number>>();
/** The objects and arrays on the way to a mark, so that the search skips a body (or a part) without any at once. */
const leadToMarks = new WeakSet<object>();

/** Marks the numbers of a parsed body that were written as `1.0`, `1E2` or `-0`. */
export function markIntegerValuedLiterals(body: unknown, literals: NumberLiteral[]): void {
  for (const { path } of literals) {
    const at = parentOf(body, path);
    if (!at || typeof at.parent[at.key] !== 'number') continue;
    const keys = marks.get(at.parent) ?? new Set();
    keys.add(at.key);
    marks.set(at.parent, keys);
    let node: unknown = body;
    for (const k of path) {
      if (typeof node !== 'object' || node === null) break;
      leadToMarks.add(node);
      node = (node as Record<string | number, unknown>)[k];
    }
  }
}

/** The paths (within `value`) of its marked numbers. */
function markedPaths(value: unknown, path: JsonPath = [], found: JsonPath[] = []): JsonPath[] {
  if (typeof value !== 'object' || value === null || !leadToMarks.has(value)) return found;
  const keys = marks.get(value);
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    if (keys?.has(key)) found.push([...path, key]);
    else markedPaths(v, [...path, key], found);
  }
  return found;
}

/** A copy of `value` with the number at each path made fractional (+0.5); the rest shared. */
function withFractions(value: unknown, paths: JsonPath[]): unknown {
  const copy = (v: unknown): unknown => (Array.isArray(v) ? [...v] : typeof v === 'object' && v !== null ? { ...v } : v);
  // Defined, not assigned: a key `__proto__` (JSON.parse makes it an own property) stays one.
  const put = (node: object, k: string | number, v: unknown) =>
    Object.defineProperty(node, k, { value: v, writable: true, enumerable: true, configurable: true });
  const root = copy(value);
  for (const path of paths) {
    let node = root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) {
      const next = copy(node[k]) as Record<string | number, unknown>;
      put(node, k, next);
      node = next;
    }
    const last = path[path.length - 1];
    put(node, last, (node[last] as number) + 0.5);
  }
  return root;
}

const samePath = (a: readonly PropertyKey[], b: JsonPath) => a.length === b.length && a.every((k, i) => String(k) === String(b[i]));

/** Integer fields of `schema` that `value` gives as `1.0`, `1E2` or `-0`. */
export function integerLiteralIssues(schema: z.ZodType, value: unknown): { path: JsonPath; message: string }[] {
  const paths = markedPaths(value);
  if (!paths.length) return [];
  const r = schema.safeParse(withFractions(value, paths));
  if (r.success) return [];
  return paths
    .filter((p) => r.error.issues.some((i) => i.code === 'invalid_type' && i.expected === 'int' && samePath(i.path, p)))
    .map((path) => ({ path, message: INTEGER_LITERAL_MESSAGE }));
}
