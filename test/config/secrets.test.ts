import { ConfigError, DEVELOPMENT_ID_HASH_KEY, DEVELOPMENT_PAYLOAD_KEYS, loadConfig, loadPayloadKeys } from '../../src/config/config';

const DB = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' };
const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const OWN = { ID_HASH_KEY: 'a-long-random-secret-of-our-own-0123456789', PAYLOAD_KEYS: `k2:${key(2)},k1:${key(1)}` };
const devKeyMaterial = DEVELOPMENT_PAYLOAD_KEYS.split(':')[1];

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration of the secrets (ID hash key, payload keys)', () => {
  it('in production, refuses to start without its own keys, naming both', () => {
    const message = refusal({ ...DB, NODE_ENV: 'production' });
    expect(message).toMatch(/ID_HASH_KEY: required when NODE_ENV=production/);
    expect(message).toMatch(/PAYLOAD_KEYS: required when NODE_ENV=production/);
  });

  it('in production, refuses the development ID hash key', () => {
    expect(refusal({ ...DB, ...OWN, NODE_ENV: 'production', ID_HASH_KEY: DEVELOPMENT_ID_HASH_KEY })).toMatch(/ID_HASH_KEY: the development key is public/);
  });

  it('in production, refuses the development payload key, also under another id or behind a key of our own', () => {
    for (const spec of [DEVELOPMENT_PAYLOAD_KEYS, `mine:${devKeyMaterial}`, `${OWN.PAYLOAD_KEYS},${DEVELOPMENT_PAYLOAD_KEYS}`]) {
      expect(refusal({ ...DB, ...OWN, NODE_ENV: 'production', PAYLOAD_KEYS: spec })).toMatch(/PAYLOAD_KEYS: contains the public development key/);
    }
    expect(() => loadPayloadKeys({ NODE_ENV: 'production', PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS })).toThrow(ConfigError);
  });

  it('in production, starts with keys of its own; the first payload key is the active one', () => {
    const config = loadConfig({ ...DB, ...OWN, NODE_ENV: 'production' });
    expect(config.idHashKey).toBe(OWN.ID_HASH_KEY);
    expect(config.payloadKeys.activeId).toBe('k2');
    expect(config.payloadKeys.ids).toEqual(['k2', 'k1']);
  });

  it('outside production, falls back to the development keys', () => {
    const config = loadConfig({ ...DB, NODE_ENV: 'development' });
    expect(config.idHashKey).toBe(DEVELOPMENT_ID_HASH_KEY);
    expect(config.payloadKeys.activeId).toBe('dev-1');
    expect(loadConfig({ ...DB }).payloadKeys.activeId).toBe('dev-1');
  });

  it('refuses malformed payload keys without repeating the key material', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    for (const [spec, why] of [
      [`k1:${short}`, /32 bytes/],
      ['no-colon', /id:base64key/],
      [`k1:${key(1)},k1:${key(2)}`, /appears twice/],
      [`bad id:${key(1)}`, /id:base64key/],
    ] as const) {
      const message = refusal({ ...DB, PAYLOAD_KEYS: spec });
      expect(message).toMatch(why);
      expect(message).not.toContain(short);
      expect(message).not.toContain(key(1));
    }
  });
});
