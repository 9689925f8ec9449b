/**
 * The first administrator of a fresh install (issue #12): made at API start from ADMIN_PASSWORD,
 * or by `node dist/directory/create-admin-cli.js`, when no administrator exists yet. Idempotent:
 * once any administrator exists it does nothing, so it never changes an existing password.
 */
import type { Pool } from 'pg';
import type { AuthConfig } from '../config/config';
import type { EventStore } from '../store/event-store';
import { withTransaction } from '../store/transaction';
import { anyAdministrator, findAccount, insertAccount, lockFirstAdmin } from './accounts';
import { findJurisdiction, insertJurisdiction, soleCounty } from './jurisdiction-tree';
import { hashPassword } from './passwords';
import { recordUserEvents } from './user-stream';

export type FirstAdminResult = { created: false } | { created: true; username: string; county: string };

export async function ensureFirstAdmin(pool: Pool, store: EventStore, admin: NonNullable<AuthConfig['firstAdmin']>): Promise<FirstAdminResult> {
  // Hashed before the transaction: the lock is then held for milliseconds, not a hash's time.
  const passwordHash = await hashPassword(admin.password);
  return withTransaction(pool, async (tx) => {
    await lockFirstAdmin(tx);
    if (await anyAdministrator(tx)) return { created: false };
    const county = await countyFor(tx, admin);
    if (await findAccount(tx, admin.username)) {
      throw new Error(`a user named ${admin.username} exists and is not an administrator: choose another ADMIN_USERNAME`);
    }
    const name = '系统管理员 (administrator)';
    await insertAccount(tx, { userId: admin.username, name, role: 'administrator', jurisdiction: county, passwordHash });
    await recordUserEvents(
      store.within(tx),
      admin.username,
      [{ type: 'UserCreated', data: { userId: admin.username, name, role: 'administrator', jurisdiction: county, by: 'system:first-admin' } }],
      'system:first-admin',
    );
    return { created: true, username: admin.username, county };
  });
}

/** ADMIN_COUNTY_CODE (created if missing, named ADMIN_COUNTY_NAME), else the database's only county. */
async function countyFor(tx: Parameters<typeof findJurisdiction>[0], admin: NonNullable<AuthConfig['firstAdmin']>): Promise<string> {
  if (admin.countyCode) {
    const existing = await findJurisdiction(tx, admin.countyCode);
    if (existing && existing.level !== 'county') throw new Error(`ADMIN_COUNTY_CODE ${admin.countyCode} is not a county`);
    if (!existing) {
      if (!admin.countyName) throw new Error(`county ${admin.countyCode} does not exist yet: set ADMIN_COUNTY_NAME to create it`);
      await insertJurisdiction(tx, { code: admin.countyCode, name: admin.countyName, level: 'county', parentCode: null });
    }
    return admin.countyCode;
  }
  const sole = await soleCounty(tx);
  if (!sole) throw new Error('set ADMIN_COUNTY_CODE (and ADMIN_COUNTY_NAME to create it): the database holds no county, or several');
  return sole;
}
