import { METADATA_ENCODING_KEY, defaultPayloadConverter } from '@temporalio/common';
import { parseKeyring } from '../../src/crypto/keyring';
import { isSealed, openAccount, sealAccount, storedAccountMasked } from '../../src/crypto/sealed-field';
import { ENCRYPTED_ENCODING, ENCRYPTION_KEY_ID, EncryptionCodec } from '../../src/temporal/encryption-codec';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const OLD = parseKeyring(`k1:${key(1)}`);
const ROTATED = parseKeyring(`k2:${key(2)},k1:${key(1)}`); // k2 added first: active; k1 still opens old data
const OTHER = parseKeyring(`k1:${key(9)}`);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');

describe('payload codec (AES-256-GCM, key id in the metadata)', () => {
  const payload = defaultPayloadConverter.toPayload({ name: 'Ouyang Mingyue', account: '6228480011112222' });

  it('encrypts every payload whole, naming the key, and decodes it back', async () => {
    const [encoded] = await new EncryptionCodec(OLD).encode([payload]);
    expect(text(encoded.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata?.[ENCRYPTION_KEY_ID])).toBe('k1');
    expect(Buffer.from(encoded.data ?? []).includes('Ouyang')).toBe(false);
    expect(Buffer.from(encoded.data ?? []).includes('json/plain')).toBe(false); // the original metadata is inside too
    const [decoded] = await new EncryptionCodec(OLD).decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ name: 'Ouyang Mingyue', account: '6228480011112222' });
  });

  it('after rotation, writes with the new key and still reads what the old key wrote', async () => {
    const [old] = await new EncryptionCodec(OLD).encode([payload]);
    const [fresh] = await new EncryptionCodec(ROTATED).encode([payload]);
    expect(text(fresh.metadata?.[ENCRYPTION_KEY_ID])).toBe('k2');
    const decoded = await new EncryptionCodec(ROTATED).decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      { name: 'Ouyang Mingyue', account: '6228480011112222' },
      { name: 'Ouyang Mingyue', account: '6228480011112222' },
    ]);
    await expect(new EncryptionCodec(OLD).decode([fresh])).rejects.toThrow(/no key with id k2/);
  });

  it('passes through payloads that are not encrypted (histories recorded before the codec)', async () => {
    const [same] = await new EncryptionCodec(OLD).decode([payload]);
    expect(same).toBe(payload);
  });

  it('refuses a payload altered or sealed with another key under the same id', async () => {
    const [encoded] = await new EncryptionCodec(OLD).encode([payload]);
    const data = Buffer.from(encoded.data ?? []);
    data[20] ^= 1;
    await expect(new EncryptionCodec(OLD).decode([{ ...encoded, data }])).rejects.toThrow();
    await expect(new EncryptionCodec(OTHER).decode([encoded])).rejects.toThrow();
  });
});

describe('sealed account numbers in event data', () => {
  it('seals with the active key, a fresh IV each time, and opens with the ring', () => {
    const a = sealAccount(ROTATED, '6228480011112222');
    const b = sealAccount(ROTATED, '6228480011112222');
    expect(a).toMatch(/^enc:v1:k2:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('2222');
    expect(openAccount(ROTATED, a)).toBe('6228480011112222');
    expect(openAccount(ROTATED, sealAccount(OLD, '6228480011110000'))).toBe('6228480011110000');
    expect(sealAccount(ROTATED, a)).toBe(a); // already sealed: kept as it is
  });

  it('reads plain values from before sealing, and masks either form', () => {
    expect(isSealed('6228480011112222')).toBe(false);
    expect(openAccount(ROTATED, '6228480011112222')).toBe('6228480011112222');
    expect(storedAccountMasked('6228480011112222')).toBe('****2222');
    expect(storedAccountMasked(sealAccount(OLD, '6228480011112222'), '****2222')).toBe('****2222');
  });

  it('cannot be opened as a Temporal payload nor with another key', async () => {
    const sealed = sealAccount(OLD, '6228480011112222');
    const box = Buffer.from(sealed.split(':')[3], 'base64url');
    const asPayload = { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [ENCRYPTION_KEY_ID]: Buffer.from('k1') }, data: box };
    await expect(new EncryptionCodec(OLD).decode([asPayload])).rejects.toThrow();
    expect(() => openAccount(OTHER, sealed)).toThrow();
  });
});
