import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';

/**
 * A `*Fen` value must be written as an integer literal (src/api/contract/money.ts), but
 * JSON.parse loses how a number was written. So the JSON body parser's `verify` hook scans the
 * raw text once for number literals whose nearest key ends in `Fen` and that are not integer
 * literals, and after parsing each is replaced by its source text (`"1.0"`), which the
 * schema refuses with a 400 naming the field. Every route gets this, intake rows included
 * (where a bad row is refused on its own).
 */

export interface FenLiteral {
  path: (string | number)[];
  source: string;
}

type Frame = { kind: 'object'; key?: string; expectKey: boolean } | { kind: 'array'; index: number };

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /^-?\d+$/;

/** Index just past the string token starting at `start` (a quote), or -1 if it is not closed. */
function endOfString(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    if (json[i] === '\\') i++;
    else if (json[i] === '"') return i + 1;
  }
  return -1;
}

/** A key token's text; keys may be escaped (`"amount\u0046en"` is amountFen). */
function decodeKey(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}

function nearestKey(stack: Frame[]): string | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i];
    if (f.kind === 'object') return f.key;
  }
  return undefined;
}

/**
 * The `*Fen` number literals of a JSON text that are not integer literals, with their paths.
 * A tokenizer, not a parser: malformed JSON is left to JSON.parse to refuse.
 */
export function nonIntegerFenLiterals(json: string): FenLiteral[] {
  const found: FenLiteral[] = [];
  const stack: Frame[] = [];
  for (let i = 0; i < json.length;) {
    const c = json[i];
    const top = stack.at(-1);
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? { kind: 'object', expectKey: true } : { kind: 'array', index: 0 });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ':') {
      if (top?.kind === 'object') top.expectKey = false;
      i++;
    } else if (c === ',') {
      if (top?.kind === 'array') top.index++;
      else if (top) top.expectKey = true;
      i++;
    } else if (c === '"') {
      const end = endOfString(json, i);
      if (end < 0) break;
      if (top?.kind === 'object' && top.expectKey) top.key = decodeKey(json.slice(i, end));
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const source = NUMBER.exec(json)?.[0] ?? c;
      i += source.length;
      if (!INTEGER.test(source) && nearestKey(stack)?.endsWith('Fen')) {
        found.push({ path: stack.map((f) => (f.kind === 'object' ? (f.key ?? '') : f.index)), source });
      }
    } else {
      i++; // white space, and the letters of true, false and null
    }
  }
  return found;
}

type WithFenLiterals = Request & { fenLiterals?: FenLiteral[]; fenUnscanned?: boolean };

/** The JSON parser's `verify` hook: runs on the raw body just before it is parsed. */
export function scanFenLiterals(req: Request, _res: Response, buf: Buffer, encoding: string): void {
  let text: string;
  try {
    text = new TextDecoder(encoding || 'utf-8').decode(buf);
  } catch {
    (req as WithFenLiterals).fenUnscanned = true; // e.g. UTF-32, which the parser reads and we cannot: refused below
    return;
  }
  // Fast path: no key can end in Fen without the letters, or an escape that spells them.
  if (!text.includes('Fen') && !text.includes('\\u')) return;
  const found = nonIntegerFenLiterals(text);
  if (found.length) (req as WithFenLiterals).fenLiterals = found;
}

const own = (o: unknown, k: string | number): o is Record<string | number, unknown> =>
  typeof o === 'object' && o !== null && Object.prototype.hasOwnProperty.call(o, k);

/** Middleware after the JSON parser: puts each literal's source text where the parsed number was. */
export function markFenLiterals(req: Request, _res: Response, next: NextFunction): void {
  if ((req as WithFenLiterals).fenUnscanned) {
    next(problem(415, 'unsupported-media-type', 'send JSON as UTF-8 (or UTF-16)'));
    return;
  }
  for (const { path, source } of (req as WithFenLiterals).fenLiterals ?? []) {
    let parent: unknown = req.body;
    for (const k of path.slice(0, -1)) parent = own(parent, k) ? parent[k] : undefined;
    const last = path[path.length - 1];
    // Only a number is replaced. With a duplicate key JSON.parse kept the last value: such a body is refused all the same.
    if (own(parent, last) && typeof parent[last] === 'number') parent[last] = source;
  }
  next();
}
