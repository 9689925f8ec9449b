import { problem } from './problem';

/** Keyset cursors: (time, id) of the last item of a page, opaque to clients. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(c: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) return [v[0], v[1]];
  } catch { /* fall through */ }
  throw problem(400, 'validation', 'cursor is not valid', [{ path: 'query.cursor', message: 'invalid cursor' }]);
}
