/**
 * Users whose role is held at the wrong level (role-levels.ts), found as the API starts. Each is
 * deactivated, with a UserDeactivated event on its stream saying why, and its sessions end: the
 * rest of the county keeps working, and an administrator can give the account a fitting place
 * and reactivate it. An administrator is deactivated only if another active, well-placed
 * administrator remains over its county; otherwise the API refuses to start, since nobody could
 * then correct accounts or the tree through the API.
 */
import type { Pool } from 'pg';
import { placeFits } from '../domain/role-levels';
import type { Role } from '../domain/roles';
import type { EventStore } from '../store/event-store';
import { withTransaction } from '../store/transaction';
import { revokeSessionsOf } from './accounts';
import { recordUserEvents } from './user-stream';

export const PLACEMENT_ACTOR = 'system:role-levels';

export interface MisplacedUser {
  userId: string;
  role: Role;
  jurisdiction: string;
}

export class LastAdministratorMisplacedError extends Error {
  constructor(readonly user: MisplacedUser) {
    const county = user.jurisdiction.slice(0, 6);
    super(
      `user ${user.userId} is the only active administrator over county ${county}, but its jurisdiction ${user.jurisdiction} is not a county or a town: ` +
        'deactivating it would leave nobody to administer the county, so the API does not start. ' +
        `Give it the county's or one of its towns' code in the users table (jurisdiction column), then start again.`,
    );
    this.name = 'LastAdministratorMisplacedError';
  }
}

/** Deactivates every active misplaced user in one transaction; returns them (none: nothing changed). */
export async function deactivateMisplacedUsers(pool: Pool, store: EventStore, now: Date): Promise<MisplacedUser[]> {
  return withTransaction(pool, async (tx) => {
    // Two APIs starting at once take turns: the second finds nothing left to do.
    const active = (
      await tx.query<{ user_id: string; role: Role; jurisdiction: string }>(
        'SELECT user_id, role, jurisdiction FROM users WHERE active ORDER BY user_id FOR UPDATE',
      )
    ).rows;
    const misplaced = active.filter((u) => !placeFits(u.role, u.jurisdiction)).map((u) => ({ userId: u.user_id, role: u.role, jurisdiction: u.jurisdiction }));
    for (const u of misplaced) {
      if (u.role !== 'administrator') continue;
      const county = u.jurisdiction.slice(0, 6);
      const another = active.some((a) => a.role === 'administrator' && placeFits(a.role, a.jurisdiction) && a.jurisdiction.startsWith(county));
      if (!another) throw new LastAdministratorMisplacedError(u);
    }
    for (const u of misplaced) {
      await tx.query('UPDATE users SET active = false WHERE user_id = $1', [u.userId]);
      await revokeSessionsOf(tx, u.userId, now);
      await recordUserEvents(
        store.within(tx),
        u.userId,
        [{ type: 'UserDeactivated', data: { userId: u.userId, by: PLACEMENT_ACTOR, reason: 'role-level' } }],
        PLACEMENT_ACTOR,
      );
    }
    return misplaced;
  });
}
