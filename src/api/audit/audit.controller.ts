import { Controller, Get, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { DenialsService } from './denials.service';

@Controller('audit')
export class AuditController {
  constructor(private readonly denials: DenialsService) {}

  @Get('denials')
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listDenials;
    assertRouteAccess(user, r);
    return this.denials.list(user, validate(r.query, query, 'query'));
  }
}
