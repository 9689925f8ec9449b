import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import {
  PLAN_PARTIES,
  evolveHelpPlan,
  helpPlanDecider,
  moneyNeeded,
  type HelpPlanCommand,
  type HelpPlanEvent,
  type HelpPlanState,
} from '../../domain/help/help-plan';
import { actsWithin } from '../../domain/role-levels';
import { STREAM_ID } from '../../domain/streams';
import { planHashOf } from '../../help/plan-hash';
import type { EventStore } from '../../store/event-store';
import { activePairingOf, fundsKnown, helperAccount, householdForPairing } from '../../store/help/help-queries';
import { startOrJoin } from '../../temporal/start-or-join';
import { helpPlan, planStepUpdate } from '../../workflows/help-plan';
import type { AuthUser } from '../auth/user';
import type { PlanContentSchema, SignPlanBody } from '../contract/help-schemas';
import { forbidden, notFound, problem } from '../http/problem';
import { assertMayReadPlan } from './plan-access';
import { CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from '../tokens';

/** Help plans with three-party sign-off (issue #13): one workflow per household, its steps as Updates. */
@Injectable()
export class HelpPlansService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The household, if the caller may work on its plan: an official of its place, or its own helper. */
  private async household(user: AuthUser, householdId: string) {
    const household = await householdForPairing(this.pool, householdId);
    if (!household) throw notFound('the household');
    if (user.role === 'helper') {
      const pairing = await activePairingOf(this.pool, householdId);
      if (pairing?.helper_id !== user.userId) throw forbidden('only the helper paired with this household works on its plan');
    } else if (!actsWithin(user, household.village)) {
      throw forbidden('the household is outside your jurisdiction');
    }
    return household;
  }

  async draft(user: AuthUser, householdId: string, content: z.infer<typeof PlanContentSchema>, idempotencyKey?: string) {
    const household = await this.household(user, householdId);
    if (household.status !== 'enrolled') throw problem(409, 'not-enrolled', `only an enrolled household has a help plan (it is ${household.status})`);
    const inCharge = await helperAccount(this.pool, content.helpingUnit.inChargeUserId);
    if (!inCharge?.active || inCharge.role !== 'helper' || inCharge.user_jurisdiction.slice(0, 6) !== household.village.slice(0, 6)) {
      throw problem(422, 'unknown-signer', "the helping unit's person in charge must be an active helper of the household's county", [
        { path: 'body.helpingUnit.inChargeUserId', message: 'not an active helper of this county' },
      ]);
    }
    const known = await fundsKnown(this.pool, content.fundIds, household.village.slice(0, 6));
    const unknown = content.fundIds.findIndex((f) => !known.has(f));
    if (unknown >= 0)
      throw problem(422, 'unknown-fund', 'the plan names a fund that is not one of this county', [
        { path: `body.fundIds.${unknown}`, message: 'no such fund in this county' },
      ]);
    const command: HelpPlanCommand = { type: 'Draft', householdId, village: household.village, content, planHash: planHashOf(content), by: user.userId };
    return this.step(user, householdId, command, `draft:${user.userId}:${idempotencyKey ?? randomUUID()}`);
  }

  async sign(user: AuthUser, householdId: string, body: z.infer<typeof SignPlanBody>, idempotencyKey?: string) {
    const household = await householdForPairing(this.pool, householdId);
    if (!household) throw notFound('the household');
    // The unit's person in charge signs from outside the place; the decider checks who may sign for which party.
    if (user.role !== 'helper' && !actsWithin(user, household.village)) throw forbidden('the household is outside your jurisdiction');
    const command: HelpPlanCommand = {
      type: 'Sign',
      party: body.party,
      planHash: body.planHash,
      signer: { userId: user.userId, role: user.role, jurisdiction: user.jurisdiction },
    };
    return this.step(user, householdId, command, `sign:${user.userId}:${idempotencyKey ?? randomUUID()}`);
  }

  async get(user: AuthUser, householdId: string) {
    const state = await this.read(householdId);
    await assertMayReadPlan(this.pool, user, householdId, state);
    if (!state.content) throw notFound('a help plan for this household');
    return view(householdId, state);
  }

  private async read(householdId: string): Promise<HelpPlanState> {
    const events = await this.store.readStream(STREAM_ID.helpPlan(householdId));
    return events.reduce((s, e) => evolveHelpPlan(s, { type: e.type, data: e.data } as HelpPlanEvent), helpPlanDecider.initialState());
  }

  private async step(user: AuthUser, householdId: string, command: HelpPlanCommand, step: string) {
    const handle = await startOrJoin(this.temporal, helpPlan, {
      taskQueue: this.config.taskQueue,
      workflowId: `plan-${householdId}`,
      args: [{ householdId }],
      // A plan's workflow runs as long as the household is helped; one that ended is started again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const state = await handle.executeUpdate(planStepUpdate, { updateId: step, args: [{ command, step, actor: user.userId }] });
    return view(householdId, state);
  }
}

function view(householdId: string, s: HelpPlanState) {
  if (!s.content || !s.planHash) throw notFound('a help plan for this household');
  return {
    householdId,
    planVersion: s.planVersion,
    planHash: s.planHash,
    status: s.effective ? ('effective' as const) : ('draft' as const),
    moneyNeededFen: moneyNeeded(s.content),
    plan: s.content,
    signatures: s.signatures,
    missing: PLAN_PARTIES.filter((p) => !s.signatures.some((g) => g.party === p)),
  };
}
