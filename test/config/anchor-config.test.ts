import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { anchorScratch } from '../support/anchor';

const base = { DATABASE_URL: 'postgres://x' };

describe('anchor key configuration', () => {
  const scratch = anchorScratch();
  afterAll(() => scratch.remove());

  it('has no key by default: the worker then writes no checkpoints', () => {
    const c = loadConfig(base).anchor;
    expect(c.intervalMs).toBe(3_600_000);
    expect(c.privateKey).toBeUndefined();
    expect(c.publicKey).toBeUndefined();
    expect(c.file).toMatch(/\.data\/anchors\.jsonl$/);
    expect(loadConfig({ ...base, ANCHOR_INTERVAL: 'off' }).anchor.intervalMs).toBeNull();
  });

  it('reads an Ed25519 key once and derives the public half for verifying', () => {
    const c = loadConfig({ ...base, ANCHOR_KEY_FILE: scratch.keyFile, ANCHOR_INTERVAL: 'PT10M' }).anchor;
    expect(c.privateKey?.asymmetricKeyType).toBe('ed25519');
    expect(c.publicKey?.equals(scratch.publicKey)).toBe(true);
    expect(c.intervalMs).toBe(600_000);
    // A verifier needs only the public key.
    const v = loadConfig({ ...base, ANCHOR_PUBLIC_KEY_FILE: scratch.publicKeyFile }).anchor;
    expect(v.privateKey).toBeUndefined();
    expect(v.publicKey?.equals(scratch.publicKey)).toBe(true);
  });

  it('refuses an unreadable, malformed, non-Ed25519 or mismatched key, without echoing it', () => {
    const pem = readFileSync(scratch.keyFile, 'utf8');
    const bad = (env: Record<string, string>, message: RegExp) => {
      let error: Error | undefined;
      try {
        loadConfig({ ...base, ...env });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(pem.split('\n')[1]);
    };
    bad({ ANCHOR_KEY_FILE: join(scratch.dir, 'missing.pem') }, /ANCHOR_KEY_FILE: cannot read/);
    const garbled = join(scratch.dir, 'garbled.pem');
    writeFileSync(garbled, pem.replace(/[A-Z]/g, 'x'));
    bad({ ANCHOR_KEY_FILE: garbled }, /ANCHOR_KEY_FILE: not a PEM key/);
    const ec = join(scratch.dir, 'ec.pem');
    writeFileSync(ec, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    bad({ ANCHOR_KEY_FILE: ec }, /ANCHOR_KEY_FILE: an Ed25519 key \(this is ec\)/);
    const otherPublic = join(scratch.dir, 'other-public.pem');
    writeFileSync(otherPublic, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
    bad({ ANCHOR_KEY_FILE: scratch.keyFile, ANCHOR_PUBLIC_KEY_FILE: otherPublic }, /not the public half/);
    bad({ ANCHOR_INTERVAL: 'hourly' }, /ANCHOR_INTERVAL/);
  });

  it('never shows key material when the config is logged', () => {
    const c = loadConfig({ ...base, ANCHOR_KEY_FILE: scratch.keyFile });
    const pem = readFileSync(scratch.keyFile, 'utf8');
    expect(JSON.stringify(c)).not.toContain(pem.split('\n')[1]);
    expect(JSON.stringify(c.anchor.privateKey)).toBe('{}');
  });
});
