import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { LoansService } from './loans.service';

/** Each household's loan: repayments, receipts, in kind, hardship; and the overdue list for supervisors. */
@Controller()
export class LoansController {
  constructor(private readonly loans: LoansService) {}

  @Get('loans')
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listLoans;
    assertRouteAccess(user, r);
    return this.loans.list(user, validate(r.query, query, 'query'));
  }

  @Get('loans/:loanId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getLoan;
    assertRouteAccess(user, r);
    return this.loans.get(user, validate(r.params, params, 'params').loanId);
  }

  @Post('loans/:loanId/repayments')
  @HttpCode(201)
  repay(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.recordRepayment;
    assertRouteAccess(user, r);
    return this.loans.repay(user, validate(r.params, params, 'params').loanId, validate(r.body, body, 'body'), key);
  }

  @Get('loans/:loanId/repayments/:repaymentId/receipt')
  async receipt(@CurrentUser() user: AuthUser, @Param() params: unknown, @Res({ passthrough: true }) res: Response) {
    const r = routes.repaymentReceipt;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    const html = await this.loans.receipt(user, p.loanId, p.repaymentId);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    return html;
  }

  @Post('loans/:loanId/repayments/:repaymentId/reversal')
  @HttpCode(200)
  reverse(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.reverseRepayment;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.loans.reverse(user, p.loanId, p.repaymentId, validate(r.body, body, 'body'), key);
  }

  @Post('loans/:loanId/in-kind')
  @HttpCode(201)
  valueInKind(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.valueInKind;
    assertRouteAccess(user, r);
    return this.loans.valueInKind(user, validate(r.params, params, 'params').loanId, validate(r.body, body, 'body'), key);
  }

  @Post('loans/:loanId/in-kind/:valuationId/confirmation')
  @HttpCode(200)
  confirmInKind(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.confirmInKind;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.loans.confirmInKind(user, p.loanId, p.valuationId, validate(r.body, body, 'body'), key);
  }

  @Post('loans/:loanId/hardship')
  @HttpCode(201)
  reportHardship(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.reportHardship;
    assertRouteAccess(user, r);
    return this.loans.reportHardship(user, validate(r.params, params, 'params').loanId, validate(r.body, body, 'body'), key);
  }

  @Post('loans/:loanId/hardship/:hardshipId/decision')
  @HttpCode(200)
  decideHardship(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.decideHardship;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.loans.decideHardship(user, p.loanId, p.hardshipId, validate(r.body, body, 'body'), key);
  }

  @Get('supervision/overdue-loans')
  overdue(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.overdueLoans;
    assertRouteAccess(user, r);
    return this.loans.overdue(user, validate(r.query, query, 'query'));
  }
}
