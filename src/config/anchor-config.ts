import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Checkpoints of the event store outside the database (src/store/anchor). */
export interface AnchorConfig {
  /** The append-only anchor log (absolute path). */
  file: string;
  /** How often the worker writes a checkpoint; null: it does not. */
  intervalMs: number | null;
  /** Signs checkpoints; only the anchoring process should be given it. Never stored in the database. */
  privateKey?: KeyObject;
  /** Checks them: from ANCHOR_PUBLIC_KEY_FILE, else the public half of the private key. */
  publicKey?: KeyObject;
}

export interface AnchorEnv {
  file: string;
  keyFile?: string;
  publicKeyFile?: string;
  intervalMs: number | null;
}

/**
 * Reads the Ed25519 key files once, at start. Problems are returned as config issues; the
 * messages name the setting and never the key's content.
 */
export function loadAnchorConfig(env: AnchorEnv): { config: AnchorConfig; issues: string[] } {
  const issues: string[] = [];
  const config: AnchorConfig = { file: resolve(env.file), intervalMs: env.intervalMs };
  const read = (setting: string, path: string, parse: (pem: string) => KeyObject): KeyObject | undefined => {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch {
      issues.push(`${setting}: cannot read ${path}`);
      return undefined;
    }
    let key: KeyObject;
    try {
      key = parse(pem);
    } catch {
      issues.push(`${setting}: not a PEM key`);
      return undefined;
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      issues.push(`${setting}: an Ed25519 key (this is ${key.asymmetricKeyType ?? 'not an asymmetric key'})`);
      return undefined;
    }
    return key;
  };
  if (env.keyFile) config.privateKey = read('ANCHOR_KEY_FILE', env.keyFile, (pem) => createPrivateKey(pem));
  if (env.publicKeyFile) config.publicKey = read('ANCHOR_PUBLIC_KEY_FILE', env.publicKeyFile, (pem) => createPublicKey(pem));
  if (config.privateKey) {
    const derived = createPublicKey(config.privateKey);
    if (config.publicKey && !config.publicKey.equals(derived)) issues.push('ANCHOR_PUBLIC_KEY_FILE: not the public half of ANCHOR_KEY_FILE');
    config.publicKey ??= derived;
  }
  return { config, issues };
}
