import { scanJson, type JsonPath, type NumberLiteral } from './json-scan';

/**
 * A `*Fen` value must be written as an integer literal (src/api/contract/money.ts), but
 * JSON.parse loses how a number was written. So the JSON body's scan (json-scan.ts) finds the
 * number literals whose nearest key ends in `Fen` and that are not integer literals, and after
 * parsing each is replaced by its source text (`"1.0"`), which the schema refuses with a 400
 * naming the field. Every route gets this, intake rows included (where a bad row is refused on
 * its own).
 */

export type FenLiteral = NumberLiteral;

/** The `*Fen` number literals of a JSON text that are not integer literals, with their paths. */
export function nonIntegerFenLiterals(json: string): FenLiteral[] {
  return scanJson(json).fenLiterals;
}

const own = (o: unknown, k: string | number): o is Record<string | number, unknown> =>
  typeof o === 'object' && o !== null && Object.prototype.hasOwnProperty.call(o, k);

/** The container holding the value at `path` of a parsed body, and its key there. */
export function parentOf(body: unknown, path: JsonPath): { parent: Record<string | number, unknown>; key: string | number } | undefined {
  let parent: unknown = body;
  for (const k of path.slice(0, -1)) parent = own(parent, k) ? parent[k] : undefined;
  const key = path[path.length - 1];
  return own(parent, key) ? { parent, key } : undefined;
}

/** Puts each literal's source text where the parsed number was. */
export function markFenLiterals(body: unknown, literals: FenLiteral[]): void {
  for (const { path, source } of literals) {
    const at = parentOf(body, path);
    if (at && typeof at.parent[at.key] === 'number') at.parent[at.key] = source;
  }
}
