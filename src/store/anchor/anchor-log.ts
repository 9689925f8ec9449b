import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ANCHOR_GENESIS, headsRoot, keyIdOf, lineHash, lineOf, signatureValid, type Head, type SignedCheckpoint } from './checkpoint';

/**
 * The anchor log: an append-only file, one signed checkpoint per line, each line chaining
 * the previous one's hash. It lives outside the database (ideally on another machine or
 * write-once storage), so a database superuser can neither rewrite it nor forge a line.
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const LineSchema = z
  .object({
    v: z.literal(1),
    seq: z.number().int().min(1),
    at: z.string(),
    prev: Hex64,
    root: Hex64,
    streams: z.number().int().min(0),
    events: z.number().int().min(0),
    globalPosition: z.string().regex(/^\d+$/),
    heads: z.array(z.tuple([z.string(), z.number().int().min(1), Hex64])),
    keyId: z.string(),
    sig: z.string(),
  })
  .strict();

export interface AnchorLog {
  file: string;
  checkpoints: number;
  latest?: SignedCheckpoint;
  /** `prev` for the next checkpoint. */
  lastLineHash: string;
  /** The latest anchored head of every stream. */
  heads: Map<string, Head>;
  /** Every anchored (version → hash, checkpoint seq) of every stream, from all checkpoints. */
  points: Map<string, Map<number, { hash: string; seq: number }>>;
}

/** The log itself is damaged, forged, or signed with another key: a finding, like a broken chain. */
export class AnchorLogError extends Error {}

/** Reads and checks the whole log: every line's shape, sequence, link and signature; the last root. */
export function readAnchorLog(file: string, publicKey: KeyObject): AnchorLog {
  const log: AnchorLog = { file, checkpoints: 0, lastLineHash: ANCHOR_GENESIS, heads: new Map(), points: new Map() };
  if (!existsSync(file)) return log;
  const text = readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new AnchorLogError(`${file}: the last line is incomplete`);
  const keyId = keyIdOf(publicKey);
  const lines = text.split('\n').slice(0, -1);
  for (const [i, line] of lines.entries()) {
    const where = `${file} line ${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new AnchorLogError(`${where}: not JSON`);
    }
    const shape = LineSchema.safeParse(parsed);
    if (!shape.success) throw new AnchorLogError(`${where}: not a checkpoint (${shape.error.issues[0]?.path.join('.')})`);
    const c = shape.data as SignedCheckpoint;
    if (c.seq !== i + 1) throw new AnchorLogError(`${where}: checkpoint #${c.seq} out of sequence (a line was removed or reordered)`);
    if (c.prev !== log.lastLineHash) throw new AnchorLogError(`${where}: does not link to the line before it (the log was edited)`);
    if (c.keyId !== keyId) throw new AnchorLogError(`${where}: signed by another key (${c.keyId}), not the configured one (${keyId})`);
    if (lineOf(c) !== line || !signatureValid(c, publicKey)) throw new AnchorLogError(`${where}: the signature does not match (the line was edited or forged)`);
    for (const [streamId, version, hash] of c.heads) {
      log.heads.set(streamId, { version, hash });
      let mine = log.points.get(streamId);
      if (!mine) log.points.set(streamId, (mine = new Map()));
      mine.set(version, { hash, seq: c.seq });
    }
    log.checkpoints = c.seq;
    log.latest = c;
    log.lastLineHash = lineHash(line);
  }
  // Signatures cover each line's changes; the root proves they replay to the full set the writer saw.
  if (log.latest && (headsRoot(log.heads) !== log.latest.root || log.heads.size !== log.latest.streams)) {
    throw new AnchorLogError(`${file}: the checkpoints do not replay to the root of checkpoint #${log.latest.seq}`);
  }
  return log;
}

/** Appends one line and forces it to disk before the caller reports it written. */
export function appendCheckpoint(file: string, checkpoint: SignedCheckpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, `${lineOf(checkpoint)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
