import { createHash, randomBytes } from 'node:crypto';

/** Tokens are stored only as this hash: a leaked users table grants nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `aid_${randomBytes(24).toString('base64url')}`;
}
