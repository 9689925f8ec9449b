import { ApplicationFailure } from '@temporalio/common';
import { INVALID_DATA, isRefusedData } from '../store/errors';

/**
 * Wraps activities so that data the database refuses fails the activity at once as a
 * non-retryable `InvalidData` failure: the workflow step that sent it fails (its Update is
 * refused, the API answers 400) instead of the activity retrying forever and holding the case
 * (issue #8). The message names the SQLSTATE only: no values, no SQL.
 */
export function refusingBadData<T extends object>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] =
      typeof fn !== 'function'
        ? fn
        : async (...args: unknown[]) => {
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
