import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { CasesService } from '../cases/cases.service';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { MemberTransferService } from './member-transfer.service';

@Controller('households')
export class HouseholdsController {
  constructor(
    private readonly cases: CasesService,
    private readonly transfers: MemberTransferService,
  ) {}

  @Get(':householdId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getHousehold;
    assertRouteAccess(user, r);
    return this.cases.household(user, validate(r.params, params, 'params').householdId);
  }

  @Post(':householdId/exit')
  @HttpCode(201)
  exit(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.proposeExit;
    assertRouteAccess(user, r);
    return this.cases.proposeExit(user, validate(r.params, params, 'params').householdId, validate(r.body, body, 'body'), key);
  }

  @Post(':householdId/members/transfer')
  @HttpCode(201)
  transferMember(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.transferMember;
    assertRouteAccess(user, r);
    return this.transfers.transfer(user, validate(r.params, params, 'params').householdId, validate(r.body, body, 'body'), key);
  }
}
