import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { fundWithin } from '../funds/fund-access';
import { pairingWithin } from '../help/pairing-access';
import { planStreamSeenBy } from '../help/plan-access';
import { validate } from '../http/validate';
import { batchStreamSeenBy, loanReadableBy, schemeSeenBy } from '../loans/loan-access';
import { EVENT_STORE, PG_POOL } from '../tokens';
import { StreamEventsService } from './stream-events.service';

/**
 * The events of a loan, scheme, batch, fund, pairing or help plan. Each route checks its role, then
 * hands the thing's own access rule (the one its GET applies) to the one stream reader.
 */
@Controller()
export class StreamEventsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: StreamEventsService,
  ) {}

  @Get('loans/:loanId/events')
  loan(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.loanEvents;
    assertRouteAccess(user, r);
    const { loanId } = validate(r.params, params, 'params');
    return this.streams.read(async () => STREAM_ID.loan((await loanReadableBy(this.pool, user, loanId)).loanId), validate(r.query, query, 'query'));
  }

  @Get('loan-schemes/:schemeId/events')
  scheme(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.schemeEvents;
    assertRouteAccess(user, r);
    const { schemeId } = validate(r.params, params, 'params');
    return this.streams.read(async () => STREAM_ID.scheme((await schemeSeenBy(this.store, user, schemeId)).schemeId), validate(r.query, query, 'query'));
  }

  @Get('loan-schemes/:schemeId/batches/:batchId/events')
  batch(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.batchEvents;
    assertRouteAccess(user, r);
    const { schemeId, batchId } = validate(r.params, params, 'params');
    return this.streams.read(() => batchStreamSeenBy(this.store, user, schemeId, batchId), validate(r.query, query, 'query'));
  }

  @Get('funds/:fundId/events')
  fund(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.fundEvents;
    assertRouteAccess(user, r);
    const { fundId } = validate(r.params, params, 'params');
    return this.streams.read(async () => STREAM_ID.fund((await fundWithin(this.pool, user, fundId)).fund_id), validate(r.query, query, 'query'));
  }

  @Get('pairings/:pairingId/events')
  pairing(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.pairingEvents;
    assertRouteAccess(user, r);
    const { pairingId } = validate(r.params, params, 'params');
    return this.streams.read(async () => STREAM_ID.pairing((await pairingWithin(this.pool, user, pairingId)).household_id), validate(r.query, query, 'query'));
  }

  @Get('households/:householdId/help-plan/events')
  helpPlan(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.helpPlanEvents;
    assertRouteAccess(user, r);
    const { householdId } = validate(r.params, params, 'params');
    return this.streams.read(() => planStreamSeenBy(this.pool, this.store, user, householdId), validate(r.query, query, 'query'));
  }
}
