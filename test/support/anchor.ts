import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { eventHash } from '../../src/store/hash-chain';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from '../../src/store/rows';

/** A fresh Ed25519 key pair (also as PEM files) and an anchor log path, in a scratch directory. */
export function anchorScratch(): {
  dir: string;
  file: string;
  keyFile: string;
  publicKeyFile: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'anchor-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'anchor-key.pem');
  const publicKeyFile = join(dir, 'anchor-public.pem');
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(publicKeyFile, publicKey.export({ format: 'pem', type: 'spki' }));
  return { dir, file: join(dir, 'anchors.jsonl'), keyFile, publicKeyFile, privateKey, publicKey, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What a database superuser can do behind the store's back: switch the append-only trigger
 * off, change an event, recompute the hash of it and of every later event of the stream, and
 * set the stream head to match. The chain is then consistent again.
 */
export async function rewriteHistory(pool: Pool, streamId: string, version: number, data: Record<string, unknown>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update');
    await client.query('UPDATE events SET data = $3 WHERE stream_id = $1 AND version = $2', [streamId, version, data]);
    const rows = (
      await client.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version`, [streamId, version])
    ).rows;
    let prevHash =
      (await client.query<{ hash: string }>('SELECT hash FROM events WHERE stream_id = $1 AND version = $2', [streamId, version - 1])).rows[0]?.hash ??
      '0'.repeat(64);
    for (const e of rows.map(toStoredEvent)) {
      const hash = eventHash(prevHash, {
        streamId,
        version: e.version,
        eventId: e.eventId,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt,
      });
      await client.query('UPDATE events SET prev_hash = $3, hash = $4 WHERE stream_id = $1 AND version = $2', [streamId, e.version, prevHash, hash]);
      prevHash = hash;
    }
    await client.query('UPDATE streams SET last_hash = $2 WHERE stream_id = $1', [streamId, prevHash]);
    await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update');
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}

/** As superuser: run SQL with every user trigger of events and streams switched off. */
export async function asSuperuser(pool: Pool, sql: string): Promise<void> {
  await pool.query(`BEGIN; ALTER TABLE events DISABLE TRIGGER USER; ALTER TABLE streams DISABLE TRIGGER USER; ${sql};
    ALTER TABLE events ENABLE TRIGGER USER; ALTER TABLE streams ENABLE TRIGGER USER; COMMIT;`);
}
