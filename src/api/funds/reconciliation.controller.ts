import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { PayoutsService, payoutsCsv } from './payouts.service';
import { ReconciliationService } from './reconciliation.service';

/** Oversight of a fund's payouts: reconciliation against the bank, and their publicity. */
@Controller('funds/:fundId')
export class ReconciliationController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly payouts: PayoutsService,
  ) {}

  @Post('reconciliations')
  @HttpCode(200)
  reconcile(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.reconcileFund;
    assertRouteAccess(user, r);
    return this.reconciliation.reconcile(user, validate(r.params, params, 'params').fundId, validate(r.body, body, 'body'));
  }

  @Get('payouts')
  async listPayouts(
    @CurrentUser() user: AuthUser,
    @Param() params: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept') accept?: string,
  ) {
    const r = routes.listPayouts;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const list = await this.payouts.list(user, validate(r.params, params, 'params').fundId, q);
    res.setHeader('Vary', 'Accept');
    const csv = q.format === 'csv' || (q.format === undefined && /(^|,)\s*text\/csv\b/i.test(accept ?? ''));
    if (!csv) return list;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="payouts-${list.fundId}-${list.from}-${list.to}.csv"`);
    return payoutsCsv(list);
  }
}
