import type { Pool } from 'pg';
import { contains } from '../../domain/jurisdiction';
import { placeFits } from '../../domain/role-levels';
import { findFund, type FundRow } from '../../store/projections/funds-queries';
import type { AuthUser } from '../auth/user';
import { forbidden, notFound } from '../http/problem';

/** The fund, if the caller's role is held at its level and its jurisdiction and the fund's overlap (one contains the other): else 403 (404 if there is none). */
export async function fundWithin(pool: Pool, user: AuthUser, fundId: string): Promise<FundRow> {
  const fund = await findFund(pool, fundId);
  if (!fund) throw notFound('the fund');
  const overlap = contains(user.jurisdiction, fund.jurisdiction) || contains(fund.jurisdiction, user.jurisdiction);
  if (!overlap || !placeFits(user.role, user.jurisdiction)) throw forbidden('the fund is outside your jurisdiction');
  return fund;
}
