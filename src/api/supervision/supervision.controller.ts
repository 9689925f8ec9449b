import { Controller, Get, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { SupervisionService } from './supervision.service';

@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  @Get('stalled')
  stalled(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.stalledCases;
    assertRouteAccess(user, r);
    return this.supervision.stalled(user, validate(r.query, query, 'query'));
  }

  @Get('summary')
  summary(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.supervisionSummary;
    assertRouteAccess(user, r);
    return this.supervision.summary(user, validate(r.query, query, 'query'));
  }
}
