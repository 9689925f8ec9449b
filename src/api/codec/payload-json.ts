import type { Payload } from '@temporalio/common';
import type { CodecBodyT } from '../contract/codec-schemas';

type JsonPayload = CodecBodyT['payloads'][number];

/** Protobuf JSON (bytes as base64) → Payload. */
export function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

/** Payload → protobuf JSON (bytes as base64). */
export function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}
