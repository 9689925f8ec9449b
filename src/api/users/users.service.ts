import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import {
  accountsWithin,
  findAccount,
  insertAccount,
  lockAccount,
  revokeSessionsOf,
  setPasswordHash,
  updateAccount,
  type AccountRow,
} from '../../directory/accounts';
import { findJurisdiction } from '../../directory/jurisdiction-tree';
import { hashPassword } from '../../directory/passwords';
import { recordUserEvents } from '../../directory/user-stream';
import { contains } from '../../domain/jurisdiction';
import { misplacement } from '../../domain/role-levels';
import type { Role } from '../../domain/roles';
import type { UserEvent } from '../../domain/users/user-events';
import type { EventStore } from '../../store/event-store';
import { withTransaction } from '../../store/transaction';
import type { AuthUser } from '../auth/user';
import type { ChangeUserBody, CreateUserBody, UserListQuery, UserListView, UserView } from '../contract/auth-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { CLOCK, EVENT_STORE, PG_POOL } from '../tokens';

type View = z.infer<typeof UserView>;

const view = (a: AccountRow, now: Date): View => ({
  userId: a.user_id,
  username: a.user_id,
  name: a.name,
  role: a.role,
  jurisdiction: a.jurisdiction,
  active: a.active,
  hasPassword: a.password_hash !== null,
  lockedUntil: a.locked_until && a.locked_until > now ? a.locked_until.toISOString() : null,
  createdAt: a.created_at.toISOString(),
});

/** A role and a place of different levels (role-levels.ts): 422, naming the place. */
function assertPlaceFits(role: Role, jurisdiction: string): void {
  const message = misplacement(role, jurisdiction);
  if (message) throw problem(422, 'role-level', message, [{ path: 'body.jurisdiction', message }]);
}

const fieldProblem = (path: string, message: string) => problem(400, 'validation', `the request body is not valid: ${path}`, [{ path, message }]);

/**
 * User administration (issue #12): an administrator acts only on users whose jurisdiction lies
 * within its own, and grants only jurisdictions within its own, so it can never make anyone
 * (an administrator included) above itself. The operator role sees every county's payloads, so
 * it is not granted here.
 */
@Injectable()
export class UsersService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async list(admin: AuthUser, q: z.infer<typeof UserListQuery>): Promise<z.infer<typeof UserListView>> {
    if (q.jurisdiction && !contains(admin.jurisdiction, q.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    const after = q.cursor ? decodeCursor(q.cursor)[1] : undefined;
    const rows = await accountsWithin(this.pool, { scope: q.jurisdiction ?? admin.jurisdiction, role: q.role, after, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const now = this.clock();
    const last = page.at(-1);
    return { items: page.map((r) => view(r, now)), nextCursor: rows.length > q.limit && last ? encodeCursor(now.toISOString(), last.user_id) : null };
  }

  async create(admin: AuthUser, body: z.infer<typeof CreateUserBody>): Promise<View> {
    this.assertGrantable(admin, body.role, body.jurisdiction);
    await this.assertJurisdictionExists(body.jurisdiction, 'body.jurisdiction');
    assertPlaceFits(body.role, body.jurisdiction);
    const passwordHash = await hashPassword(body.password);
    return withTransaction(this.pool, async (tx) => {
      const created = await insertAccount(tx, { userId: body.username, name: body.name, role: body.role, jurisdiction: body.jurisdiction, passwordHash });
      if (!created) throw problem(409, 'conflict', `用户名已存在 (the username ${body.username} is taken)`);
      const data = { userId: body.username, name: body.name, role: body.role, jurisdiction: body.jurisdiction, by: admin.userId };
      await recordUserEvents(this.store.within(tx), body.username, [{ type: 'UserCreated', data }], admin.userId);
      return view(created, this.clock());
    });
  }

  async change(admin: AuthUser, userId: string, body: z.infer<typeof ChangeUserBody>): Promise<View> {
    if (userId === admin.userId && (body.active === false || body.role !== undefined || body.jurisdiction !== undefined)) {
      throw forbidden('you cannot deactivate yourself or change your own role or jurisdiction');
    }
    if (body.jurisdiction !== undefined) await this.assertJurisdictionExists(body.jurisdiction, 'body.jurisdiction');
    return withTransaction(this.pool, async (tx) => {
      const before = await lockAccount(tx, userId);
      if (!before) throw notFound('the user');
      if (!contains(admin.jurisdiction, before.jurisdiction)) throw forbidden('that user is outside your jurisdiction');
      this.assertGrantable(admin, body.role ?? before.role, body.jurisdiction ?? before.jurisdiction);
      // An account that stays deactivated may keep a place its role no longer takes (renamed, say).
      if (body.role !== undefined || body.jurisdiction !== undefined || (body.active ?? before.active)) {
        assertPlaceFits(body.role ?? before.role, body.jurisdiction ?? before.jurisdiction);
      }
      const after = (await updateAccount(tx, userId, body)) as AccountRow;
      const now = this.clock();
      const events: UserEvent[] = [];
      const changed = {
        ...(body.name !== undefined && body.name !== before.name ? { name: body.name } : {}),
        ...(body.role !== undefined && body.role !== before.role ? { role: body.role } : {}),
        ...(body.jurisdiction !== undefined && body.jurisdiction !== before.jurisdiction ? { jurisdiction: body.jurisdiction } : {}),
      };
      if (Object.keys(changed).length) events.push({ type: 'UserChanged', data: { userId, by: admin.userId, ...changed } });
      if (before.active && body.active === false) {
        events.push({ type: 'UserDeactivated', data: { userId, by: admin.userId } });
        await revokeSessionsOf(tx, userId, now);
      }
      if (!before.active && body.active === true) events.push({ type: 'UserReactivated', data: { userId, by: admin.userId } });
      await recordUserEvents(this.store.within(tx), userId, events, admin.userId);
      return view(after, now);
    });
  }

  /** A reset: the new password, the lock-out lifted, every session ended (the user logs in again). */
  async setPassword(admin: AuthUser, userId: string, password: string): Promise<{ userId: string; passwordSetAt: string }> {
    const target = await findAccount(this.pool, userId);
    if (!target) throw notFound('the user');
    if (!contains(admin.jurisdiction, target.jurisdiction)) throw forbidden('that user is outside your jurisdiction');
    const passwordHash = await hashPassword(password);
    return withTransaction(this.pool, async (tx) => {
      const locked = await lockAccount(tx, userId);
      // Moved out of reach while the hash was computed: refuse, as if it had been read now.
      if (!locked || !contains(admin.jurisdiction, locked.jurisdiction)) throw forbidden('that user is outside your jurisdiction');
      const now = this.clock();
      await setPasswordHash(tx, userId, passwordHash);
      await revokeSessionsOf(tx, userId, now);
      await recordUserEvents(this.store.within(tx), userId, [{ type: 'PasswordReset', data: { userId, by: admin.userId } }], admin.userId);
      return { userId, passwordSetAt: now.toISOString() };
    });
  }

  private assertGrantable(admin: AuthUser, role: Role, jurisdiction: string): void {
    if (!contains(admin.jurisdiction, jurisdiction)) {
      const message = '该行政区划不在您的辖区内 (that jurisdiction is outside yours)';
      throw problem(403, 'forbidden', message, [{ path: 'body.jurisdiction', message }]);
    }
    if (role === 'operator') throw forbidden('the operator role (every county’s payloads) is not granted by an administrator');
  }

  private async assertJurisdictionExists(code: string, path: string): Promise<void> {
    if (!(await findJurisdiction(this.pool, code))) throw fieldProblem(path, '没有这个行政区划 (no such jurisdiction)');
  }
}
