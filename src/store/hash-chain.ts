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

/** A fingerprint of an event's content, used to tell a retried append from a different one. */
export function contentFingerprint(streamId: string, type: string, data: unknown): string {
  return createHash('sha256').update(canonicalJson({ streamId, type, data })).digest('hex');
}
