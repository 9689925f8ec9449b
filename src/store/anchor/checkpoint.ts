import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

/**
 * A checkpoint pins the whole event store to a point outside the database: every stream's
 * head (version and hash of its last event) hashed into one root, signed with a key the
 * database never sees. Whoever rewrites history afterwards, even a superuser who recomputes
 * every hash, changes some anchored head hash and is found (see anchor-check.ts).
 */

/** `prev` of the first checkpoint in a log. */
export const ANCHOR_GENESIS = '0'.repeat(64);

export interface Head {
  version: number;
  hash: string;
}

/** [streamId, version, hash]: compact, one per changed stream. */
export type HeadEntry = [string, number, string];

export interface Checkpoint {
  v: 1;
  /** 1, 2, 3, … in the log: a removed line breaks the sequence and the `prev` chain. */
  seq: number;
  at: string;
  /** sha256 of the previous line's exact text (ANCHOR_GENESIS for the first). */
  prev: string;
  /** headsRoot() of every stream head in the store at this checkpoint. */
  root: string;
  /** How many stream heads the root covers, and how many events the store held. */
  streams: number;
  events: number;
  /** The highest global position in the snapshot ('0' when empty). */
  globalPosition: string;
  /** The heads that changed since the previous checkpoint (all of them in the first): the log replays to the full set. */
  heads: HeadEntry[];
  /** Which key signed this: keyIdOf(public key). */
  keyId: string;
}

/** A checkpoint with its Ed25519 signature (base64) over canonicalJson(checkpoint). */
export interface SignedCheckpoint extends Checkpoint {
  sig: string;
}

/** One hash over all heads, in stream-id order, each entry encoded unambiguously. */
export function headsRoot(heads: ReadonlyMap<string, Head>): string {
  const h = createHash('sha256');
  for (const id of [...heads.keys()].sort()) {
    const head = heads.get(id) as Head;
    h.update(canonicalJson([id, head.version, head.hash])).update('\n');
  }
  return h.digest('hex');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

export function signCheckpoint(c: Checkpoint, privateKey: KeyObject): SignedCheckpoint {
  const sig = sign(null, Buffer.from(canonicalJson(c)), privateKey).toString('base64');
  return { ...c, sig };
}

export function signatureValid(sc: SignedCheckpoint, publicKey: KeyObject): boolean {
  const { sig, ...body } = sc;
  try {
    return verify(null, Buffer.from(canonicalJson(body)), publicKey, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** The line as written to the log; its sha256 is the next checkpoint's `prev`. */
export const lineOf = (sc: SignedCheckpoint): string => canonicalJson(sc);
export const lineHash = (line: string): string => createHash('sha256').update(line).digest('hex');

export const publicKeyOf = (privateKey: KeyObject): KeyObject => createPublicKey(privateKey);
