import type { Pool } from 'pg';
import { helpPlanDecider, type HelpPlanState } from '../../domain/help/help-plan';
import { actsWithin } from '../../domain/role-levels';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { readState } from '../../store/handle';
import { activePairingOf, householdForPairing } from '../../store/help/help-queries';
import type { AuthUser } from '../auth/user';
import { forbidden, notFound } from '../http/problem';

/**
 * Who reads a household's help plan (404 for an unknown household, 403 otherwise): the helper
 * paired with it or the helping unit's person in charge named in the plan, and officials whose
 * jurisdiction holds its village.
 */
export async function assertMayReadPlan(pool: Pool, user: AuthUser, householdId: string, plan: HelpPlanState): Promise<void> {
  const household = await householdForPairing(pool, householdId);
  if (!household) throw notFound('the household');
  if (user.role === 'helper') {
    const pairing = await activePairingOf(pool, householdId);
    if (pairing?.helper_id !== user.userId && plan.content?.helpingUnit.inChargeUserId !== user.userId) throw forbidden('not a household you help');
  } else if (!actsWithin(user, household.village)) {
    throw forbidden('the household is outside your jurisdiction');
  }
}

/** The plan's stream id, for those who may read the plan; 404 while the household has none. */
export async function planStreamSeenBy(pool: Pool, store: EventStore, user: AuthUser, householdId: string): Promise<string> {
  const streamId = STREAM_ID.helpPlan(householdId);
  const { state } = await readState(store, streamId, helpPlanDecider);
  await assertMayReadPlan(pool, user, householdId, state);
  if (!state.content) throw notFound('a help plan for this household');
  return streamId;
}
