import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { FundsService } from './funds.service';

@Controller()
export class FundsController {
  constructor(private readonly funds: FundsService) {}

  @Post('funds')
  @HttpCode(201)
  open(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.openFund;
    assertRouteAccess(user, r);
    return this.funds.open(user, validate(r.body, body, 'body'), key);
  }

  @Post('funds/:fundId/deposits')
  @HttpCode(201)
  deposit(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.deposit;
    assertRouteAccess(user, r);
    return this.funds.deposit(user, validate(r.params, params, 'params').fundId, validate(r.body, body, 'body'), key);
  }

  @Get('funds')
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listFunds;
    assertRouteAccess(user, r);
    return this.funds.list(user, validate(r.query, query, 'query'));
  }

  @Get('funds/:fundId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getFund;
    assertRouteAccess(user, r);
    return this.funds.get(user, validate(r.params, params, 'params').fundId);
  }

  @Get('funds/:fundId/ledger')
  ledger(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.fundLedger;
    assertRouteAccess(user, r);
    return this.funds.ledger(user, validate(r.params, params, 'params').fundId, validate(r.query, query, 'query'));
  }

  @Post('disbursements')
  @HttpCode(201)
  request(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.requestDisbursement;
    assertRouteAccess(user, r);
    return this.funds.request(user, validate(r.body, body, 'body'), key);
  }

  @Get('disbursements/:disbursementId')
  getDisbursement(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getDisbursement;
    assertRouteAccess(user, r);
    return this.funds.getDisbursement(user, validate(r.params, params, 'params').disbursementId);
  }

  @Post('disbursements/:disbursementId/decisions')
  @HttpCode(200)
  decide(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.decideDisbursement;
    assertRouteAccess(user, r);
    return this.funds.decide(user, validate(r.params, params, 'params').disbursementId, validate(r.body, body, 'body'), key);
  }
}
