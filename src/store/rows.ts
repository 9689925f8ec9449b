import type { StoredEvent } from './types';

export const EVENT_COLUMNS = `global_position, transaction_id, stream_id, version, event_id, type, data, metadata,
  idempotency_key, fingerprint, prev_hash, hash, recorded_at`;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  idempotency_key: string;
  fingerprint: string;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
}

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    globalPosition: String(r.global_position),
    transactionId: String(r.transaction_id),
    streamId: r.stream_id,
    version: r.version,
    eventId: r.event_id,
    type: r.type,
    data: r.data,
    metadata: r.metadata,
    idempotencyKey: r.idempotency_key,
    prevHash: r.prev_hash,
    hash: r.hash,
    recordedAt: r.recorded_at.toISOString(),
  };
}
