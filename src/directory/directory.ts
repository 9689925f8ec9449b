import type { Pool } from 'pg';
import type { Level } from '../domain/jurisdiction';
import type { Role } from '../domain/roles';
import { hashToken } from './tokens';

export interface JurisdictionRecord {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
}

export interface UserRecord {
  userId: string;
  name: string;
  role: Role;
  jurisdiction: string;
  token: string;
  idHash?: string;
}

export async function upsertJurisdictions(pool: Pool, items: JurisdictionRecord[]): Promise<void> {
  for (const j of items) {
    await pool.query(
      `INSERT INTO jurisdictions (code, name, level, parent_code) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`,
      [j.code, j.name, j.level, j.parentCode ?? null],
    );
  }
}

/** Stores the user with the token's hash only; re-running with the same user replaces the token. */
export async function upsertUsers(pool: Pool, users: UserRecord[]): Promise<void> {
  for (const u of users) {
    await pool.query(
      `INSERT INTO users (user_id, name, role, jurisdiction, token_hash, id_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, jurisdiction = EXCLUDED.jurisdiction,
         token_hash = EXCLUDED.token_hash, id_hash = EXCLUDED.id_hash`,
      [u.userId, u.name, u.role, u.jurisdiction, hashToken(u.token), u.idHash ?? null],
    );
  }
}

export async function jurisdictionExists(db: Pick<Pool, 'query'>, code: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM jurisdictions WHERE code = $1', [code])).rowCount ?? 0) > 0;
}

/** An approved supplier (reimbursement mode pays only these accounts). */
export async function findSupplier(db: Pick<Pool, 'query'>, supplierId: string): Promise<{ account: string; jurisdiction: string } | undefined> {
  return (await db.query<{ account: string; jurisdiction: string }>('SELECT account, jurisdiction FROM suppliers WHERE supplier_id = $1', [supplierId]))
    .rows[0];
}

/** A user as the API knows them after sign-in (the token aside), or undefined if there is no such user. */
export async function findUser(
  pool: Pool,
  userId: string,
): Promise<{ userId: string; name: string; role: Role; jurisdiction: string; idHash?: string } | undefined> {
  const row = (
    await pool.query<{ user_id: string; name: string; role: Role; jurisdiction: string; id_hash: string | null }>(
      'SELECT user_id, name, role, jurisdiction, id_hash FROM users WHERE user_id = $1',
      [userId],
    )
  ).rows[0];
  return row && { userId: row.user_id, name: row.name, role: row.role, jurisdiction: row.jurisdiction, idHash: row.id_hash ?? undefined };
}
