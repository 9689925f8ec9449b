import type { Pool } from 'pg';
import { actsWithin } from '../../domain/role-levels';
import { pairingById } from '../../store/help/help-queries';
import type { AuthUser } from '../auth/user';
import { forbidden, notFound } from '../http/problem';

/** The pairing (404), if its household lies within the caller's jurisdiction (403). */
export async function pairingWithin(pool: Pool, user: AuthUser, pairingId: string) {
  const p = await pairingById(pool, pairingId);
  if (!p) throw notFound('the pairing');
  if (!actsWithin(user, p.village)) throw forbidden('the household is outside your jurisdiction');
  return p;
}
