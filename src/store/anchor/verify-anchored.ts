import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { verifyChain, type ChainReport } from '../verify-chain';
import { AnchorLogError, readAnchorLog } from './anchor-log';

export type AnchoredReport = ChainReport | { ok: false; anchorLog: string; problem: string };

/**
 * `npm run verify-chain` with checkpoints: the chain of every event, and every head the
 * signed log anchored. A damaged or forged log is itself a finding.
 */
export async function verifyAgainstAnchors(pool: Pool, anchor: { file: string; publicKey: KeyObject }, streamId?: string): Promise<AnchoredReport> {
  let log;
  try {
    log = readAnchorLog(anchor.file, anchor.publicKey);
  } catch (e) {
    if (e instanceof AnchorLogError) return { ok: false, anchorLog: anchor.file, problem: e.message };
    throw e;
  }
  return verifyChain(pool, { streamId, anchors: log });
}
