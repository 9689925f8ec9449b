import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EXPORT_CAP } from '../contract/export-schemas';
import { CASE_COLUMNS } from '../exports/list-columns';
import { sendExport } from '../exports/send-export';
import { exportFormat } from '../exports/table-file';
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

  /** JSON, or with ?format=csv|xlsx (or Accept) the same list as a file, up to EXPORT_CAP rows. */
  @Get('cases')
  async list(@CurrentUser() user: AuthUser, @Query() query: unknown, @Res({ passthrough: true }) res: Response, @Headers('accept') accept?: string) {
    const r = routes.listCases;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const format = exportFormat(q.format, accept);
    if (format === 'json') return this.cases.list(user, q);
    const list = await this.cases.list(user, q, EXPORT_CAP);
    return sendExport(res, format, { ascii: 'cases', zh: '案件清单', sheet: '案件' }, CASE_COLUMNS, list.items, list.nextCursor);
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
