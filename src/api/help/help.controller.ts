import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { HelpPlansService } from './help-plans.service';
import { HelpService } from './help.service';

@Controller()
export class HelpController {
  constructor(
    private readonly help: HelpService,
    private readonly plans: HelpPlansService,
  ) {}

  @Post('helpers')
  @HttpCode(201)
  registerHelper(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    const r = routes.registerHelper;
    assertRouteAccess(user, r);
    return this.help.registerHelper(user, validate(r.body, body, 'body'));
  }

  @Get('helpers')
  helpers(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listHelpers;
    assertRouteAccess(user, r);
    return this.help.helpers(user, validate(r.query, query, 'query'));
  }

  @Post('pairings')
  @HttpCode(201)
  pair(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.pair;
    assertRouteAccess(user, r);
    return this.help.pair(user, validate(r.body, body, 'body'), key);
  }

  // Literal paths before the parameterised one.
  @Get('pairings/coverage')
  coverage(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.coverage;
    assertRouteAccess(user, r);
    return this.help.coverage(user, validate(r.query, query, 'query'));
  }

  @Get('pairings/lost-contact')
  lostContact(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.lostContact;
    assertRouteAccess(user, r);
    return this.help.lostContact(user, validate(r.query, query, 'query'));
  }

  @Post('pairings/:pairingId/end')
  @HttpCode(200)
  endPairing(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.endPairing;
    assertRouteAccess(user, r);
    return this.help.endPairing(user, validate(r.params, params, 'params').pairingId, validate(r.body, body, 'body'));
  }

  @Post('households/:householdId/visits')
  @HttpCode(201)
  visit(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.recordVisit;
    assertRouteAccess(user, r);
    return this.help.recordVisit(user, validate(r.params, params, 'params').householdId, validate(r.body, body, 'body'), key);
  }

  @Post('households/:householdId/help-plan')
  @HttpCode(200)
  draftPlan(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.draftHelpPlan;
    assertRouteAccess(user, r);
    return this.plans.draft(user, validate(r.params, params, 'params').householdId, validate(r.body, body, 'body'), key);
  }

  @Post('households/:householdId/help-plan/signatures')
  @HttpCode(200)
  signPlan(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.signHelpPlan;
    assertRouteAccess(user, r);
    return this.plans.sign(user, validate(r.params, params, 'params').householdId, validate(r.body, body, 'body'), key);
  }

  @Get('households/:householdId/help-plan')
  getPlan(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getHelpPlan;
    assertRouteAccess(user, r);
    return this.plans.get(user, validate(r.params, params, 'params').householdId);
  }
}
