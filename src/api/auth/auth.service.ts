import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { countersOf, createSession, lockAccount, revokeSession, saveCounters } from '../../directory/accounts';
import { findJurisdiction } from '../../directory/jurisdiction-tree';
import { verifyNothing, verifyPassword } from '../../directory/passwords';
import { hashToken, newToken } from '../../directory/tokens';
import { recordUserEvents } from '../../directory/user-stream';
import { decideLogin, lockedAt, type LoginPolicy } from '../../domain/users/login-policy';
import type { EventStore } from '../../store/event-store';
import { withTransaction } from '../../store/transaction';
import type { LoginBody, LoginView, MeView } from '../contract/auth-schemas';
import { problem, ProblemError } from '../http/problem';
import { CLOCK, CONFIG, EVENT_STORE, PG_POOL } from '../tokens';
import type { AuthUser } from './user';

/** The one answer to a wrong username, a wrong password and a deactivated account alike. */
const invalidCredentials = () => problem(401, 'invalid-credentials', '用户名或密码不正确 (wrong username or password)');

const accountLocked = (until: Date) =>
  new ProblemError({
    ...problem(423, 'account-locked', `登录失败次数过多，账户已锁定至 ${until.toISOString()} (too many failed log-ins: locked until then)`).problem,
    lockedUntil: until.toISOString(),
  });

type Attempt = { kind: 'ok'; token: string; expiresAt: Date; user: z.infer<typeof LoginView>['user'] } | { kind: 'invalid' } | { kind: 'locked'; until: Date };

/** Log-in, log-out and who-am-I (issue #12). */
@Injectable()
export class AuthService {
  private readonly policy: LoginPolicy;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {
    this.policy = { maxFailures: config.auth.maxFailures, windowMs: config.auth.failureWindowMs, lockMs: config.auth.lockMs };
  }

  async login(body: z.infer<typeof LoginBody>): Promise<z.infer<typeof LoginView>> {
    const attempt = await this.attempt(body.username, body.password);
    // Thrown after the transaction committed: a failure's count and events must be kept, not rolled back.
    if (attempt.kind === 'invalid') throw invalidCredentials();
    if (attempt.kind === 'locked') throw accountLocked(attempt.until);
    return { token: attempt.token, expiresAt: attempt.expiresAt.toISOString(), user: attempt.user };
  }

  /**
   * One transaction holding the account's row lock from the read of its counters to their write
   * and the events that record the attempt: concurrent attempts on one account queue here, so
   * none can count from a stale number and slip past the limit.
   */
  private attempt(username: string, password: string): Promise<Attempt> {
    return withTransaction(this.pool, async (tx) => {
      const now = this.clock();
      const account = await lockAccount(tx, username);
      if (!account || !account.password_hash) return verifyNothing(password).then((): Attempt => ({ kind: 'invalid' }));
      const store = this.store.within(tx);
      const userId = account.user_id;
      if (!account.active) {
        await verifyNothing(password);
        await recordUserEvents(store, userId, [{ type: 'LoginRefused', data: { userId, reason: 'deactivated' } }], userId);
        return { kind: 'invalid' };
      }
      const counters = countersOf(account);
      const locked = lockedAt(counters, now);
      if (locked) {
        await recordUserEvents(store, userId, [{ type: 'LoginRefused', data: { userId, reason: 'locked' } }], userId);
        return { kind: 'locked', until: locked };
      }
      const ok = await verifyPassword(account.password_hash, password);
      const expiresAt = new Date(now.getTime() + this.config.auth.sessionMs);
      const outcome = decideLogin(userId, counters, { ok, at: now, sessionExpiresAt: expiresAt }, this.policy);
      await saveCounters(tx, userId, outcome.counters);
      await recordUserEvents(store, userId, outcome.events, userId);
      if (outcome.kind === 'invalid') return { kind: 'invalid' };
      if (outcome.kind === 'locked') return { kind: 'locked', until: outcome.lockedUntil };
      const token = newToken();
      await createSession(tx, { tokenHash: hashToken(token), userId, createdAt: now, expiresAt });
      return { kind: 'ok', token, expiresAt, user: { userId, name: account.name, role: account.role, jurisdiction: account.jurisdiction } };
    });
  }

  /** Ends the session the token belongs to; an API token is left working (it is not a session). */
  async logout(user: AuthUser, token: string): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      if (await revokeSession(tx, hashToken(token), user.userId, this.clock())) {
        await recordUserEvents(this.store.within(tx), user.userId, [{ type: 'LoggedOut', data: { userId: user.userId } }], user.userId);
      }
    });
  }

  async me(user: AuthUser): Promise<z.infer<typeof MeView>> {
    const j = await findJurisdiction(this.pool, user.jurisdiction);
    return { userId: user.userId, name: user.name, role: user.role, jurisdiction: user.jurisdiction, jurisdictionName: j?.name ?? user.jurisdiction };
  }
}
