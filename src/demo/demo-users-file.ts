import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEMO_USERS } from '../directory/demo-directory';
import type { UserRecord } from '../directory/directory';
import { newToken } from '../directory/tokens';

/**
 * demo/users.json holds the demo users' tokens (the database keeps only their hashes). It is
 * written on the first start and reused afterwards, so tokens stay valid across restarts.
 */
export function ensureDemoUsersFile(path: string): UserRecord[] {
  const existing: UserRecord[] = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as UserRecord[]) : [];
  const byId = new Map(existing.map((u) => [u.userId, u]));
  const users = DEMO_USERS.map((u) => ({ ...u, token: byId.get(u.userId)?.token ?? newToken() }));
  if (users.some((u, i) => u.token !== existing[i]?.token) || existing.length !== users.length) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  }
  return users;
}
