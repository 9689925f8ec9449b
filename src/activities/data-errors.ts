import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError } from 'pg';

/** The failure type of an activity whose data the database refused; never retried. */
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

/**
 * Wraps activities so that data the database refuses fails the activity at once as a
 * non-retryable `InvalidData` failure: the workflow step that sent it fails (its Update is
 * refused, the API answers 400) instead of the activity retrying forever and holding the case
 * (issue #8). The message names the SQLSTATE only: no values, no SQL.
 */
export function refusingBadData<T extends object>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = typeof fn !== 'function' ? fn : async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (e) {
        if (!isRefusedData(e)) throw e;
        throw ApplicationFailure.create({ type: INVALID_DATA, message: `the database refused the data (SQLSTATE ${e.code})`, nonRetryable: true });
      }
    };
  }
  return wrapped as T;
}
