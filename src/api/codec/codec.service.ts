import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/config';
import { auditDecider } from '../../domain/audit/audit';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { handle } from '../../store/handle';
import { EncryptionCodec } from '../../temporal/encryption-codec';
import type { AuthUser } from '../auth/user';
import type { CodecBodyT } from '../contract/codec-schemas';
import { problem } from '../http/problem';
import { CONFIG, EVENT_STORE } from '../tokens';
import { fromJson, toJson } from './payload-json';

/**
 * The codec server: the engine's own codec (same keyring as the API and worker) behind HTTP.
 * Decoding reveals personal data, so each call is an event on a daily, hash-chained audit
 * stream (who, when, how many payloads; never what they held).
 */
@Injectable()
export class CodecService {
  private readonly codec: EncryptionCodec;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.codec = new EncryptionCodec(config.payloadKeys);
  }

  async decode(user: AuthUser, body: CodecBodyT, namespace: string | undefined): Promise<CodecBodyT> {
    let decoded;
    try {
      decoded = await this.codec.decode(body.payloads.map(fromJson));
    } catch {
      // Which payload and why (unknown key id, altered ciphertext) would help no one but a prober.
      throw problem(400, 'undecodable', 'a payload could not be decrypted with the configured keys');
    }
    if (decoded.length > 0) {
      await handle(
        this.store,
        STREAM_ID.codecDecodes(new Date()),
        auditDecider,
        {
          type: 'RecordDecode',
          decode: { userId: user.userId, role: user.role, payloads: body.payloads.length, namespace: namespace || null },
        },
        { appendOnly: true, actor: user.userId, idempotencyKey: () => `codec:${randomUUID()}` },
      );
    }
    return { payloads: decoded.map(toJson) };
  }

  async encode(body: CodecBodyT): Promise<CodecBodyT> {
    return { payloads: (await this.codec.encode(body.payloads.map(fromJson))).map(toJson) };
  }
}
