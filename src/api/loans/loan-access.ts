import type { Pool } from 'pg';
import { contains } from '../../domain/jurisdiction';
import { actsWithin } from '../../domain/role-levels';
import { batchDecider } from '../../domain/loans/batch';
import { schemeDecider, type SchemeState } from '../../domain/loans/scheme';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { readState } from '../../store/handle';
import { registeredHouseholds } from '../../store/projections/loan-access-queries';
import { getLoan, type LoanDetail } from '../../store/projections/loans-queries';
import type { AuthUser } from '../auth/user';
import { forbidden, notFound } from '../http/problem';
import { utcToday } from './loan-views';

/** The loan (404), if the caller may read it: its household, through the applicant account that speaks for it; officials of its jurisdiction (403). */
export async function loanReadableBy(pool: Pool, user: AuthUser, loanId: string): Promise<LoanDetail> {
  const loan = await getLoan(pool, loanId, utcToday());
  if (!loan) throw notFound('the loan');
  if (user.role === 'applicant') {
    const [household] = await registeredHouseholds(pool, [loan.householdId]);
    if (household?.applicant_id !== user.userId) throw forbidden('a household may read only its own loans');
    return loan;
  }
  if (!actsWithin(user, loan.village)) throw forbidden('the loan is outside your jurisdiction');
  return loan;
}

/** The scheme's stream, folded (404), read by anyone whose jurisdiction overlaps the scheme's county (a village of it, or a county containing it). */
export async function schemeSeenBy(store: EventStore, user: AuthUser, schemeId: string): Promise<SchemeState> {
  const { state } = await readState(store, STREAM_ID.scheme(schemeId), schemeDecider);
  if (!state) throw notFound('the scheme');
  if (!contains(user.jurisdiction, state.county) && !contains(state.county, user.jurisdiction)) throw forbidden('the scheme is outside your jurisdiction');
  return state;
}

/** The batch's stream id, if the batch belongs to the scheme (404) and the caller may see the scheme: its list is publicised to the whole county. */
export async function batchStreamSeenBy(store: EventStore, user: AuthUser, schemeId: string, batchId: string): Promise<string> {
  await schemeSeenBy(store, user, schemeId);
  const { state } = await readState(store, STREAM_ID.batch(batchId), batchDecider);
  if (!state || state.schemeId !== schemeId) throw notFound('the batch');
  return STREAM_ID.batch(batchId);
}
