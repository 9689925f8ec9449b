/**
 * Password hashing with argon2id (@node-rs/argon2: prebuilt native binaries, no compiler needed),
 * at the parameters OWASP recommends for argon2id (19 MiB, 2 passes, 1 lane). Hashing runs on
 * libuv's thread pool, so a log-in does not block the event loop.
 */
import { hash, verify } from '@node-rs/argon2';

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password, and for a stored value that is not a hash we can read. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification when there is no hash to check against (an unknown or
 * deactivated user), so that the answer's timing does not tell which usernames exist.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword('no user has this password: it only costs the time of a check');
  await verifyPassword(await dummy, password);
  return false;
}
