/**
 * The keys that protect personal data at rest: Temporal payloads (src/temporal/encryption-codec.ts)
 * and account numbers in the event store (./sealed-field.ts). AES-256-GCM with a random 96-bit IV;
 * every ciphertext names the id of the key that made it, so keys can rotate: new data is always
 * sealed with the active (first) key, and data sealed with an older key still opens as long as
 * that key stays in the ring.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export interface Keyring {
  /** The id new ciphertexts are made with. */
  readonly activeId: string;
  readonly ids: readonly string[];
  /** Encrypts with the active key: IV ‖ ciphertext ‖ tag. `aad` binds the ciphertext to its purpose. */
  seal(plaintext: Uint8Array, aad: string): { keyId: string; box: Buffer };
  /** Decrypts a box made by `seal` under `keyId`; throws if the key is unknown or the box was altered. */
  open(keyId: string, box: Uint8Array, aad: string): Buffer;
}

export class KeyringError extends Error {}

/**
 * Parses `id:base64key,id:base64key,…` (the first is the active key). Each key is 32 random
 * bytes, e.g. `openssl rand -base64 32`. Refuses malformed input with a message that never
 * repeats the key material.
 */
export function parseKeyring(spec: string): Keyring {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError('no keys: expected id:base64key[,id:base64key…]');
  const keys = new Map<string, Buffer>();
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id)) throw new KeyringError(`key ${i + 1}: expected id:base64key with an id of letters, digits, '.', '_' or '-'`);
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== material.replace(/=+$/, '')) {
      throw new KeyringError(`key ${id}: expected ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
    }
    if (keys.has(id)) throw new KeyringError(`key ${id} appears twice`);
    keys.set(id, key);
  }
  return keyring(keys);
}

function keyring(keys: Map<string, Buffer>): Keyring {
  const ids = [...keys.keys()];
  const activeId = ids[0];
  const active = keys.get(activeId) as Buffer;
  return {
    activeId,
    ids,
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active, iv);
      cipher.setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { keyId: activeId, box: Buffer.concat([iv, body, cipher.getAuthTag()]) };
    },
    open(keyId, box, aad) {
      const key = keys.get(keyId);
      if (!key) throw new KeyringError(`no key with id ${keyId} in the keyring (PAYLOAD_KEYS): was it removed too early?`);
      if (box.length < IV_BYTES + TAG_BYTES) throw new KeyringError('ciphertext too short');
      const buf = Buffer.from(box.buffer, box.byteOffset, box.byteLength);
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
      return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
    },
  };
}

/** True if two keyring specs share key material (used to refuse the development key in production). */
export function sharesKeyMaterial(spec: string, other: string): boolean {
  const material = (s: string) => new Set(s.split(',').map((e) => Buffer.from(e.trim().slice(e.trim().indexOf(':') + 1), 'base64').toString('hex')));
  const a = material(spec);
  return [...material(other)].some((k) => a.has(k));
}
