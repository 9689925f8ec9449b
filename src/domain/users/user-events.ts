/**
 * A user's stream (issue #12): log-ins, failures, lock-outs and what administrators did to the
 * account. An append-only record, like the audit logs: whether an account is locked is decided
 * from the counters on the user's row, read under a row lock (see login-policy.ts), not by folding
 * this stream, which grows with every log-in. No password, hash or token is ever in an event.
 */
import type { StreamDecider } from '../decider';
import { assertNever } from '../errors';
import type { Role } from '../roles';
import { STREAM_TYPE } from '../streams';

export type UserEvent =
  | { type: 'UserCreated'; data: { userId: string; name: string; role: Role; jurisdiction: string; by: string } }
  | { type: 'UserChanged'; data: { userId: string; by: string; name?: string; role?: Role; jurisdiction?: string } }
  /** `reason` 'role-level': the API found the role held at a level it does not take (role-levels.ts), as it started. */
  | { type: 'UserDeactivated'; data: { userId: string; by: string; reason?: 'role-level' } }
  | { type: 'UserReactivated'; data: { userId: string; by: string } }
  | { type: 'PasswordReset'; data: { userId: string; by: string } }
  | { type: 'LoggedIn'; data: { userId: string; sessionExpiresAt: string } }
  | { type: 'LoggedOut'; data: { userId: string } }
  /** A wrong password; `failures` counts those within the window, this one included. */
  | { type: 'LoginFailed'; data: { userId: string; failures: number } }
  | { type: 'AccountLocked'; data: { userId: string; failures: number; lockedUntil: string } }
  /** A log-in not even tried: the account is locked or deactivated (the password was not checked). */
  | { type: 'LoginRefused'; data: { userId: string; reason: 'locked' | 'deactivated' } };

/** Each command records exactly the events it names; the rules that chose them ran before (login-policy.ts, the API's checks). */
export type UserCommand = { type: 'Record'; events: UserEvent[] };

export function decideUser(c: UserCommand): UserEvent[] {
  switch (c.type) {
    case 'Record':
      return c.events.map((e) => ({ ...e, data: { ...e.data } }) as UserEvent);
    default:
      return assertNever(c.type);
  }
}

export const userDecider: StreamDecider<null, UserCommand, UserEvent> = {
  streamType: STREAM_TYPE.user,
  decide: decideUser,
  evolve: (state) => state,
  initialState: () => null,
};
