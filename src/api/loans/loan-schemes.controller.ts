import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { LoanSchemesService } from './loan-schemes.service';

/** Revolving loan schemes and their batches (issue #10). Each handler: the role first, then the input, then the service. */
@Controller('loan-schemes')
export class LoanSchemesController {
  constructor(private readonly schemes: LoanSchemesService) {}

  @Post()
  @HttpCode(201)
  create(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.createScheme;
    assertRouteAccess(user, r);
    return this.schemes.create(user, validate(r.body, body, 'body'), key);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listSchemes;
    assertRouteAccess(user, r);
    return this.schemes.list(user, validate(r.query, query, 'query'));
  }

  @Get(':schemeId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getScheme;
    assertRouteAccess(user, r);
    return this.schemes.summary(user, validate(r.params, params, 'params').schemeId);
  }

  @Post(':schemeId/terms')
  @HttpCode(200)
  revise(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.reviseSchemeTerms;
    assertRouteAccess(user, r);
    return this.schemes.reviseTerms(user, validate(r.params, params, 'params').schemeId, validate(r.body, body, 'body'), key);
  }

  @Get(':schemeId/repayments.csv')
  async repaymentsCsv(@CurrentUser() user: AuthUser, @Param() params: unknown, @Res({ passthrough: true }) res: Response) {
    const r = routes.schemeRepaymentsCsv;
    assertRouteAccess(user, r);
    const { schemeId } = validate(r.params, params, 'params');
    const csv = await this.schemes.repaymentsCsv(user, schemeId);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="repayments-${schemeId}.csv"`);
    return csv;
  }

  @Post(':schemeId/batches')
  @HttpCode(201)
  propose(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.proposeBatch;
    assertRouteAccess(user, r);
    return this.schemes.proposeBatch(user, validate(r.params, params, 'params').schemeId, validate(r.body, body, 'body'), key);
  }

  @Get(':schemeId/batches/:batchId')
  batch(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getBatch;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.schemes.batch(user, p.schemeId, p.batchId);
  }

  @Post(':schemeId/batches/:batchId/objections')
  @HttpCode(201)
  object(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.raiseBatchObjection;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.schemes.raiseObjection(user, p.schemeId, p.batchId, validate(r.body, body, 'body'), key);
  }

  @Post(':schemeId/batches/:batchId/objections/:objectionId/resolution')
  @HttpCode(200)
  resolve(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.resolveBatchObjection;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.schemes.resolveObjection(user, p.schemeId, p.batchId, p.objectionId, validate(r.body, body, 'body'), key);
  }

  @Post(':schemeId/batches/:batchId/signatures')
  @HttpCode(200)
  sign(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.signAgreement;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.schemes.sign(user, p.schemeId, p.batchId, validate(r.body, body, 'body'), key);
  }
}
