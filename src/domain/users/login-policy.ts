/**
 * Lock-out after repeated failures (issue #12), as a pure function of the account's counters and
 * the attempt. The caller reads the counters under a row lock and writes back what this returns
 * in the same transaction, so concurrent attempts are decided one after another and never race
 * past the limit.
 */
import type { UserEvent } from './user-events';

export interface LoginPolicy {
  /** Failures within `windowMs` that lock the account (LOGIN_MAX_FAILURES). */
  maxFailures: number;
  windowMs: number;
  /** How long a lock lasts (LOGIN_LOCK_MINUTES). */
  lockMs: number;
}

/** The counters kept on the user's row. */
export interface LoginCounters {
  failures: number;
  firstFailureAt: Date | null;
  lockedUntil: Date | null;
}

export type LoginOutcome =
  | { kind: 'ok'; counters: LoginCounters; events: UserEvent[] }
  | { kind: 'invalid'; counters: LoginCounters; events: UserEvent[] }
  | { kind: 'locked'; lockedUntil: Date; counters: LoginCounters; events: UserEvent[] };

export const CLEAR: LoginCounters = { failures: 0, firstFailureAt: null, lockedUntil: null };

/** Whether the account is locked at `now`: the password is then not even checked. */
export function lockedAt(c: LoginCounters, now: Date): Date | undefined {
  return c.lockedUntil && c.lockedUntil.getTime() > now.getTime() ? c.lockedUntil : undefined;
}

/**
 * What an attempt whose password was checked (`ok`) does to the counters, and the events that
 * record it. Success clears them; a failure counts within the window (a failure after the window,
 * or after a lock ran out, starts a new count); the failure that reaches the limit locks the account.
 */
export function decideLogin(
  userId: string,
  counters: LoginCounters,
  attempt: { ok: boolean; at: Date; sessionExpiresAt?: Date },
  policy: LoginPolicy,
): LoginOutcome {
  const { at } = attempt;
  if (attempt.ok) {
    const sessionExpiresAt = (attempt.sessionExpiresAt ?? at).toISOString();
    return { kind: 'ok', counters: CLEAR, events: [{ type: 'LoggedIn', data: { userId, sessionExpiresAt } }] };
  }
  const windowOpen = counters.firstFailureAt !== null && at.getTime() - counters.firstFailureAt.getTime() < policy.windowMs && !counters.lockedUntil;
  const failures = windowOpen ? counters.failures + 1 : 1;
  const firstFailureAt = windowOpen ? counters.firstFailureAt : at;
  const failed: UserEvent = { type: 'LoginFailed', data: { userId, failures } };
  if (failures < policy.maxFailures) return { kind: 'invalid', counters: { failures, firstFailureAt, lockedUntil: null }, events: [failed] };
  const lockedUntil = new Date(at.getTime() + policy.lockMs);
  return {
    kind: 'locked',
    lockedUntil,
    counters: { failures: 0, firstFailureAt: null, lockedUntil },
    events: [failed, { type: 'AccountLocked', data: { userId, failures, lockedUntil: lockedUntil.toISOString() } }],
  };
}
