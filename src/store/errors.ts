/** The stream was not at the version the caller expected: someone else appended first. */
export class ConcurrencyError extends Error {
  constructor(readonly streamId: string, readonly expected: ExpectedVersion, readonly actual: number) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'ConcurrencyError';
  }
}

/** The same idempotency key was used before for different content. */
export class IdempotencyConflictError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`idempotency key ${idempotencyKey} was already used for different content`);
    this.name = 'IdempotencyConflictError';
  }
}

/** 'no_stream': the stream must not exist; 'any': no check; n: the stream must be at version n. */
export type ExpectedVersion = number | 'no_stream' | 'any';
