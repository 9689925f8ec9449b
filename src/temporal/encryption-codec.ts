/**
 * Encrypts every Temporal payload (workflow and activity inputs and results, Update arguments
 * and results, queries, signals, failure details) before it leaves the process, so the Temporal
 * server, its database and its UI hold ciphertext only. The whole Payload (metadata and data) is
 * serialised and sealed with the keyring's active key; the envelope says which key:
 *   metadata: { encoding: "binary/encrypted", "encryption-key-id": "<id>" }
 *   data:     IV ‖ AES-256-GCM(ciphertext) ‖ tag
 * Decoding passes through payloads that are not encrypted (histories written before the codec,
 * e.g. test/histories), so turning encryption on never strands a running workflow.
 */
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Keyring } from '../crypto/keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCRYPTION_KEY_ID = 'encryption-key-id';
/** Additional authenticated data: a payload box cannot be passed off as a sealed event field. */
const PAYLOAD_AAD = 'aid/temporal-payload';

const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const { keyId, box } = this.keys.seal(temporal.api.common.v1.Payload.encode(p).finish(), PAYLOAD_AAD);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [ENCRYPTION_KEY_ID]: Buffer.from(keyId) },
        data: box,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (text(p.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return p;
      const keyId = text(p.metadata?.[ENCRYPTION_KEY_ID]);
      if (!keyId || !p.data) throw new ValueError('an encrypted payload without its key id or data');
      return temporal.api.common.v1.Payload.decode(this.keys.open(keyId, p.data, PAYLOAD_AAD));
    });
  }
}
