/**
 * One pass over a JSON body's raw text, before JSON.parse reads it, for what JSON.parse would
 * take silently one way: a key given twice in one object (the last would win), a number too
 * large for a double (Infinity), nesting deep enough to exhaust a recursive reader, and how
 * each number was written (JSON.parse makes `1.0`, `1E2` and `-0` integers). A tokenizer, not
 * a parser: malformed JSON is left to JSON.parse to refuse.
 */

export type JsonPath = (string | number)[];

export interface NumberLiteral {
  path: JsonPath;
  source: string;
}

export interface JsonFault {
  path: JsonPath;
  message: string;
}

export interface JsonScan {
  /** Refusals: the body is not taken. */
  faults: JsonFault[];
  /** Literals under a key ending in `Fen` not written as integer literals (money: contract/money.ts). */
  fenLiterals: NumberLiteral[];
  /** Other literals whose value is an integer but not written as one (`1.0`, `1E2`, `-0`): an integer field refuses them. */
  integerValuedLiterals: NumberLiteral[];
}

/** Deeper than any request of the contract nests (a household's members are 3 levels), far below a stack's limit. */
export const MAX_JSON_DEPTH = 64;

type Frame = { kind: 'object'; key?: string; expectKey: boolean; keys: Set<string> } | { kind: 'array'; index: number };

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER_LITERAL = /^-?(?:0|[1-9]\d*)$/;
const PLAIN_DIGITS = /^(?:0|[1-9]\d*)$/;

export const DUPLICATE_KEY = '同一对象中键重复 (this key appears twice in one object: which one is meant is unclear)';
export const TOO_DEEP = `嵌套层数超过 ${MAX_JSON_DEPTH} (nested more than ${MAX_JSON_DEPTH} levels deep)`;
export const NOT_FINITE = '数值超出范围 (a number too large to be represented)';

/** Index just past the string token starting at `start` (a quote), or -1 if it is not closed. */
function endOfString(json: string, start: number): number {
  for (let quote = json.indexOf('"', start + 1); quote >= 0; quote = json.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return quote + 1; // not escaped
  }
  return -1;
}

/** A key token's text; keys may be escaped (`"amount\u0046en"` is amountFen). */
function decodeKey(token: string): string | undefined {
  if (!token.includes('\\')) return token.slice(1, -1);
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

const pathOf = (stack: Frame[]): JsonPath => stack.map((f) => (f.kind === 'object' ? (f.key ?? '') : f.index));

/** Whether a number literal is written as an integer: digits, an optional minus, and not `-0`. */
export const isIntegerLiteral = (source: string): boolean => INTEGER_LITERAL.test(source) && source !== '-0';

export function scanJson(json: string): JsonScan {
  const scan: JsonScan = { faults: [], fenLiterals: [], integerValuedLiterals: [] };
  const stack: Frame[] = [];
  for (let i = 0; i < json.length;) {
    const c = json.charCodeAt(i);
    const top = stack.at(-1);
    if (c === 0x22 /* " */) {
      const end = endOfString(json, i);
      if (end < 0) break;
      if (top?.kind === 'object' && top.expectKey) {
        top.key = decodeKey(json.slice(i, end));
        if (top.key !== undefined) {
          if (top.keys.has(top.key)) scan.faults.push({ path: pathOf(stack), message: DUPLICATE_KEY });
          top.keys.add(top.key);
        }
      }
      i = end;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const source = NUMBER.exec(json)?.[0] ?? '-';
      i += source.length;
      if (source === '-') continue; // not a number: JSON.parse refuses it
      if (source.length < 16 && PLAIN_DIGITS.test(source)) continue; // the common case: a small integer literal
      const value = Number(source);
      if (!Number.isFinite(value)) scan.faults.push({ path: pathOf(stack), message: NOT_FINITE });
      else if (!isIntegerLiteral(source)) {
        if (nearestKey(stack)?.endsWith('Fen')) scan.fenLiterals.push({ path: pathOf(stack), source });
        else if (Number.isInteger(value)) scan.integerValuedLiterals.push({ path: pathOf(stack), source });
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= MAX_JSON_DEPTH) {
        scan.faults.push({ path: pathOf(stack), message: TOO_DEEP });
        return scan; // nothing deeper is read
      }
      stack.push(c === 0x7b ? { kind: 'object', expectKey: true, keys: new Set() } : { kind: 'array', index: 0 });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x3a /* : */) {
      if (top?.kind === 'object') top.expectKey = false;
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.kind === 'array') top.index++;
      else if (top) top.expectKey = true;
      i++;
    } else {
      i++; // white space, and the letters of true, false and null
    }
  }
  return scan;
}
