import type { PoolClient } from 'pg';

/** An event as a caller hands it to the store. */
export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
  /** Who caused it: a user id, or `system:<component>`. */
  actor: string;
  /**
   * Unique across the store. Derive it from what makes the step unique (workflow id + step),
   * so that a retried activity appends nothing new and gets the first result back.
   */
  idempotencyKey: string;
  /** Further context (correlation ids, the update id, …); no personal ID numbers. */
  metadata?: Record<string, unknown>;
}

export interface StoredEvent {
  globalPosition: string;
  transactionId: string;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string } & Record<string, unknown>;
  idempotencyKey: string;
  prevHash: string;
  hash: string;
  recordedAt: string;
}

export interface AppendResult {
  events: StoredEvent[];
  /** The stream's version after the append. */
  version: number;
  /** True when every event was already stored under its idempotency key (a retry). */
  duplicate: boolean;
}

/**
 * Updates a read model in the same transaction as the append: either both are committed
 * or neither is. Called once per append with the newly stored events (never on a retry).
 * `streamTypes` names the streams it reads (build one with `projectorOf`): an append to any
 * other stream does not wait for it, and one that no projector reads is a single statement
 * with no transaction around it. Without `streamTypes` it is called for every stream.
 */
export type Projector = ((tx: PoolClient, streamType: string, events: StoredEvent[]) => Promise<void>) & {
  readonly streamTypes?: readonly string[];
};
