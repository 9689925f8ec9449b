import { DatabaseError } from 'pg';

/** The stream was not at the version the caller expected: someone else appended first. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
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

/** The failure type of an activity whose data the database refused; never retried (the API answers 400). */
export const INVALID_DATA = 'InvalidData';

/**
 * SQLSTATE classes 22 (data exception: e.g. 22P05, a \u0000 in jsonb) and 23 (integrity
 * constraint violation) say the data itself is refused: the same data is refused again on
 * every retry. Outages (08, 57P0x), serialization failures and deadlocks (40) are not here:
 * those are worth retrying.
 */
const REFUSED_DATA = /^2[23][0-9A-Z]{3}$/;

export function isRefusedData(e: unknown): e is DatabaseError {
  return e instanceof DatabaseError && typeof e.code === 'string' && REFUSED_DATA.test(e.code);
}
