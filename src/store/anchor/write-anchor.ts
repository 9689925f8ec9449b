import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction } from '../transaction';
import { verifySnapshot, type ChainReport } from '../verify-chain';
import { appendCheckpoint, readAnchorLog } from './anchor-log';
import { headsRoot, keyIdOf, publicKeyOf, signCheckpoint, type Head, type HeadEntry, type SignedCheckpoint } from './checkpoint';

export type AnchorOutcome =
  | { written: true; checkpoint: SignedCheckpoint }
  /** Nothing was appended since the latest checkpoint: it still covers the whole store. */
  | { written: false; reason: 'unchanged'; latestSeq: number }
  /** Another process is writing a checkpoint right now. */
  | { written: false; reason: 'busy' }
  /** The store does not verify (against the chain or earlier checkpoints): anchoring it would bless the damage. */
  | { written: false; reason: 'refused'; report: ChainReport };

export interface AnchorTarget {
  /** The anchor log (append-only JSON lines). */
  file: string;
  /** Ed25519 private key; never sent to the database. */
  privateKey: KeyObject;
  clock?: () => Date;
}

/** Arbitrary constant: one checkpoint writer at a time per database, so the log never forks. */
const ANCHOR_LOCK = 727_008;

/**
 * Writes one checkpoint: verifies the whole store against its chain and the checkpoints so
 * far, then signs the heads it saw, all from one snapshot (so the heads are a state the store
 * was really in, and a concurrent append is either wholly in or wholly out).
 */
export async function writeAnchor(pool: Pool, { file, privateKey, clock = () => new Date() }: AnchorTarget): Promise<AnchorOutcome> {
  const client = await pool.connect();
  let locked = false;
  try {
    locked = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [ANCHOR_LOCK])).rows[0].ok;
    if (!locked) return { written: false, reason: 'busy' };
    const publicKey = publicKeyOf(privateKey);
    const log = readAnchorLog(file, publicKey);
    const heads = new Map<string, Head>();
    // On the client that holds the lock, so the lock outlives the snapshot's transaction.
    const { report, globalPosition } = await inTransaction(
      client,
      async (tx) => ({
        report: await verifySnapshot(tx, { anchors: log, onHead: (id, version, hash) => heads.set(id, { version, hash }) }),
        globalPosition: (await tx.query<{ p: string }>('SELECT coalesce(max(global_position), 0)::text AS p FROM events')).rows[0].p,
      }),
      { isolation: 'REPEATABLE READ', readOnly: true },
    );
    if (!report.ok) return { written: false, reason: 'refused', report };

    const changed: HeadEntry[] = [];
    for (const [id, h] of heads) {
      const before = log.heads.get(id);
      if (!before || before.version !== h.version) changed.push([id, h.version, h.hash]);
    }
    if (log.latest && changed.length === 0) return { written: false, reason: 'unchanged', latestSeq: log.latest.seq };
    changed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const checkpoint = signCheckpoint(
      {
        v: 1,
        seq: log.checkpoints + 1,
        at: clock().toISOString(),
        prev: log.lastLineHash,
        root: headsRoot(heads),
        streams: heads.size,
        events: report.events,
        globalPosition,
        heads: changed,
        keyId: keyIdOf(publicKey),
      },
      privateKey,
    );
    appendCheckpoint(file, checkpoint);
    return { written: true, checkpoint };
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [ANCHOR_LOCK]).catch(() => undefined);
    client.release();
  }
}
