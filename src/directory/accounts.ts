/**
 * Users' credentials and sessions in Postgres (issue #12; migration 018). Tokens and passwords
 * are never stored: a session is known by its token's SHA-256, a password by its argon2id hash.
 */
import type { Pool, PoolClient } from 'pg';
import type { Role } from '../domain/roles';
import type { LoginCounters } from '../domain/users/login-policy';

type Db = Pick<Pool, 'query'>;

export interface AccountRow {
  user_id: string;
  name: string;
  role: Role;
  jurisdiction: string;
  id_hash: string | null;
  password_hash: string | null;
  active: boolean;
  failed_logins: number;
  first_failure_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
}

const ACCOUNT_COLUMNS = 'user_id, name, role, jurisdiction, id_hash, password_hash, active, failed_logins, first_failure_at, locked_until, created_at';

/** The account, locked until the caller's transaction ends: log-in attempts on one account are decided one at a time. */
export async function lockAccount(tx: PoolClient, userId: string): Promise<AccountRow | undefined> {
  return (await tx.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE user_id = $1 FOR UPDATE`, [userId])).rows[0];
}

export async function findAccount(db: Db, userId: string): Promise<AccountRow | undefined> {
  return (await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE user_id = $1`, [userId])).rows[0];
}

export const countersOf = (a: AccountRow): LoginCounters => ({
  failures: a.failed_logins,
  firstFailureAt: a.first_failure_at,
  lockedUntil: a.locked_until,
});

export async function saveCounters(tx: PoolClient, userId: string, c: LoginCounters): Promise<void> {
  await tx.query('UPDATE users SET failed_logins = $2, first_failure_at = $3, locked_until = $4 WHERE user_id = $1', [
    userId,
    c.failures,
    c.firstFailureAt,
    c.lockedUntil,
  ]);
}

export async function createSession(tx: Db, s: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await tx.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    s.tokenHash,
    s.userId,
    s.createdAt,
    s.expiresAt,
  ]);
}

/** Ends one session of this user; false when the token is not a live session of theirs (an API token, say). */
export async function revokeSession(db: Db, tokenHash: string, userId: string, at: Date): Promise<boolean> {
  const r = await db.query('UPDATE sessions SET revoked_at = $3 WHERE token_hash = $1 AND user_id = $2 AND revoked_at IS NULL', [tokenHash, userId, at]);
  return (r.rowCount ?? 0) > 0;
}

export async function revokeSessionsOf(db: Db, userId: string, at: Date): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, at]);
}

/**
 * The active user a bearer token belongs to: an API token (users.token_hash) or a live session
 * (not revoked, not expired at `now`). One round trip, on every request.
 */
export async function userByBearer(db: Db, tokenHash: string, now: Date) {
  return (
    await db.query<{ user_id: string; name: string; role: Role; jurisdiction: string; id_hash: string | null }>(
      `SELECT user_id, name, role, jurisdiction, id_hash FROM users WHERE token_hash = $1 AND active
       UNION ALL
       SELECT u.user_id, u.name, u.role, u.jurisdiction, u.id_hash FROM sessions s JOIN users u USING (user_id)
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active
       LIMIT 1`,
      [tokenHash, now],
    )
  ).rows[0];
}

/** Users whose jurisdiction lies within `scope` (digits only: safe as a LIKE prefix), by user id after `after`. */
export async function accountsWithin(db: Db, q: { scope: string; role?: Role; after?: string; limit: number }): Promise<AccountRow[]> {
  return (
    await db.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM users
        WHERE jurisdiction LIKE $1 || '%' AND ($2::text IS NULL OR role = $2) AND ($3::text IS NULL OR user_id > $3)
        ORDER BY user_id LIMIT $4`,
      [q.scope, q.role ?? null, q.after ?? null, q.limit],
    )
  ).rows;
}

/** Inserts a new user with a password; undefined when the user id is taken. */
export async function insertAccount(
  tx: Db,
  u: { userId: string; name: string; role: Role; jurisdiction: string; passwordHash: string },
): Promise<AccountRow | undefined> {
  return (
    await tx.query<AccountRow>(
      `INSERT INTO users (user_id, name, role, jurisdiction, password_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO NOTHING RETURNING ${ACCOUNT_COLUMNS}`,
      [u.userId, u.name, u.role, u.jurisdiction, u.passwordHash],
    )
  ).rows[0];
}

export async function updateAccount(
  tx: Db,
  userId: string,
  c: { name?: string; role?: Role; jurisdiction?: string; active?: boolean },
): Promise<AccountRow | undefined> {
  return (
    await tx.query<AccountRow>(
      `UPDATE users SET name = coalesce($2, name), role = coalesce($3, role), jurisdiction = coalesce($4, jurisdiction), active = coalesce($5, active)
        WHERE user_id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
      [userId, c.name ?? null, c.role ?? null, c.jurisdiction ?? null, c.active ?? null],
    )
  ).rows[0];
}

/** A new password hash; a reset also lifts a lock-out and clears the failure count. */
export async function setPasswordHash(tx: Db, userId: string, passwordHash: string): Promise<void> {
  await tx.query('UPDATE users SET password_hash = $2, failed_logins = 0, first_failure_at = NULL, locked_until = NULL WHERE user_id = $1', [
    userId,
    passwordHash,
  ]);
}

export async function anyAdministrator(db: Db): Promise<boolean> {
  return ((await db.query("SELECT 1 FROM users WHERE role = 'administrator' LIMIT 1")).rowCount ?? 0) > 0;
}

/** Serialises first-administrator creation across processes (the API and the CLI at once) for the transaction. */
export async function lockFirstAdmin(tx: PoolClient): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('aid:first-administrator'))");
}
