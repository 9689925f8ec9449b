import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { BatchDecisionsService } from './batch-decisions.service';
import { CasesService } from './cases.service';

/** Thin: check the route's role, validate each part against its schema, hand over to the service. */
@Controller()
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly batch: BatchDecisionsService,
  ) {}

  @Post('applications')
  @HttpCode(201)
  submit(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.submitApplication;
    assertRouteAccess(user, r);
    return this.cases.submit(user, validate(r.body, body, 'body'), key);
  }

  @Get('cases')
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listCases;
    assertRouteAccess(user, r);
    return this.cases.list(user, validate(r.query, query, 'query'));
  }

  @Get('cases/:caseId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getCase;
    assertRouteAccess(user, r);
    return this.cases.get(user, validate(r.params, params, 'params').caseId);
  }

  @Get('cases/:caseId/events')
  events(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.caseEvents;
    assertRouteAccess(user, r);
    return this.cases.events(user, validate(r.params, params, 'params').caseId, validate(r.query, query, 'query'));
  }

  @Post('cases/:caseId/decisions')
  @HttpCode(200)
  decide(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.decide;
    assertRouteAccess(user, r);
    return this.cases.decide(user, validate(r.params, params, 'params').caseId, validate(r.body, body, 'body'), key);
  }

  @Post('cases/decisions')
  @HttpCode(200)
  decideMany(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.decideMany;
    assertRouteAccess(user, r);
    return this.batch.decideMany(user, validate(r.body, body, 'body'), key);
  }

  @Post('cases/:caseId/objections')
  @HttpCode(201)
  lodgeObjection(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.lodgeObjection;
    assertRouteAccess(user, r);
    return this.cases.lodgeObjection(user, validate(r.params, params, 'params').caseId, validate(r.body, body, 'body'), key);
  }

  @Post('objections/:objectionId/resolution')
  @HttpCode(200)
  resolveObjection(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.resolveObjection;
    assertRouteAccess(user, r);
    return this.cases.resolveObjection(user, validate(r.params, params, 'params').objectionId, validate(r.body, body, 'body'), key);
  }
}
