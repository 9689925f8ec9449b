import type { NextFunction, Request, Response } from 'express';
import { markFenLiterals } from './fen-literals';
import { markIntegerValuedLiterals } from './integer-literals';
import { scanJson, type JsonScan } from './json-scan';
import { problem, validationProblem } from './problem';

/**
 * The JSON body's checks around the body parser's own JSON.parse. Its `verify` hook sees the
 * raw (decompressed) bytes: they must decode strictly in the declared charset (a lenient decode
 * would store U+FFFD where the bytes meant something else), and are scanned (json-scan.ts).
 * The middleware after the parser then refuses what the scan found, as a 400 naming the
 * field, before anything reads the body: the Idempotency-Key's hash included, which cannot
 * encode an infinite number nor recurse 3,000 levels deep.
 */

type ScannedRequest = Request & { jsonScan?: JsonScan; jsonUnscanned?: boolean; jsonUndecodable?: string };

export const undecodable = (charset: string) => `请求体不是有效的 ${charset.toUpperCase()} 编码 (the body is not valid ${charset.toUpperCase()})`;

/** The JSON parser's `verify` hook: runs on the raw body just before it is parsed. */
export function scanJsonBody(req: Request, _res: Response, buf: Buffer, encoding: string): void {
  const charset = encoding || 'utf-8';
  let decoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    (req as ScannedRequest).jsonUnscanned = true; // e.g. UTF-32, which the parser reads and we cannot: refused below
    return;
  }
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    (req as ScannedRequest).jsonUndecodable = charset;
    return;
  }
  (req as ScannedRequest).jsonScan = scanJson(text);
}

/** Middleware after the JSON parser: refuses what the scan found, else marks the literals validation needs. */
export function checkJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const r = req as ScannedRequest;
  if (r.jsonUnscanned) {
    next(problem(415, 'unsupported-media-type', 'send JSON as UTF-8 (or UTF-16)'));
    return;
  }
  if (r.jsonUndecodable) {
    const message = undecodable(r.jsonUndecodable);
    next(problem(400, 'unreadable-body', `${message}; nothing was recorded`, [{ path: 'body', message }]));
    return;
  }
  const scan = r.jsonScan;
  if (!scan) return next();
  if (scan.faults.length) {
    next(validationProblem(scan.faults, 'body'));
    return;
  }
  markFenLiterals(req.body, scan.fenLiterals);
  markIntegerValuedLiterals(req.body, scan.integerValuedLiterals);
  next();
}
