import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { UsersService } from './users.service';

/** User administration (issue #12): administrators only, within their jurisdiction. */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listUsers;
    assertRouteAccess(user, r);
    return this.users.list(user, validate(r.query, query, 'query'));
  }

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    const r = routes.createUser;
    assertRouteAccess(user, r);
    return this.users.create(user, validate(r.body, body, 'body'));
  }

  @Patch(':userId')
  change(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.changeUser;
    assertRouteAccess(user, r);
    return this.users.change(user, validate(r.params, params, 'params').userId, validate(r.body, body, 'body'));
  }

  @Post(':userId/password')
  @HttpCode(200)
  setPassword(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.setPassword;
    assertRouteAccess(user, r);
    return this.users.setPassword(user, validate(r.params, params, 'params').userId, validate(r.body, body, 'body').password);
  }
}
