import { textFault } from '../contract/text';
import { problem } from './problem';

// Years 1 to 9999: beyond them toISOString() writes extended years (+010000-…) that Postgres refuses.
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const storableTime = (s: string) => {
  const t = Date.parse(s);
  return t >= EARLIEST && t <= LATEST;
};

/** Keyset cursors: (time, id) of the last item of a page, opaque to clients. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(c: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString()) as unknown;
    // Both parts go into SQL: a time Postgres reads as JS does (re-written as ISO), and an id it can store.
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && storableTime(v[0]) && !textFault(v[1], false)) {
      return [new Date(v[0]).toISOString(), v[1]];
    }
  } catch {
    /* fall through */
  }
  throw problem(400, 'validation', 'cursor is not valid', [{ path: 'query.cursor', message: 'invalid cursor' }]);
}
