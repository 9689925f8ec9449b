import { Controller, Get, Param, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { PublicityService } from './publicity.service';

@Controller('publicity')
export class PublicityController {
  constructor(private readonly publicity: PublicityService) {}

  @Get(':village')
  notice(@CurrentUser() user: AuthUser, @Param() params: unknown, @Query() query: unknown) {
    const r = routes.publicityNotice;
    assertRouteAccess(user, r);
    return this.publicity.notice(user, validate(r.params, params, 'params').village, validate(r.query, query, 'query'));
  }
}
