import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The hash of the first event of every stream points at this. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers: everything that gives the event its meaning and place. */
export interface HashedFields {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export function eventHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/**
 * The canonical JSON of every hashed field but `version`, without its closing brace: the
 * database (append_events, migration 015) appends `,"version":N}` once it knows N and hashes
 * `prevHash + '\n' + that`, which is `eventHash` exactly, because canonical JSON sorts keys and
 * `version` sorts after every other field (a test holds the two to the same value).
 */
export function openCanonical(fields: Omit<HashedFields, 'version'>): string {
  const text = canonicalJson({ ...fields, version: 0 });
  const tail = ',"version":0}';
  if (!text.endsWith(tail)) throw new Error('openCanonical: version no longer sorts last of the hashed fields');
  return text.slice(0, -tail.length);
}

/** A fingerprint of an event's content, used to tell a retried append from a different one. */
export function contentFingerprint(streamId: string, type: string, data: unknown): string {
  return createHash('sha256').update(canonicalJson({ streamId, type, data })).digest('hex');
}
