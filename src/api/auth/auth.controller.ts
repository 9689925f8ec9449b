import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from './access';
import { bearerToken } from './auth.guard';
import { AuthService } from './auth.service';
import { Public } from './public.decorator';
import { CurrentUser, type AuthUser } from './user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';

/** POST /auth/login, POST /auth/logout, GET /auth/me (issue #12). */
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'no-store'); // the answer holds a token
    return this.auth.login(validate(routes.login.body, body, 'body'));
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Headers('authorization') authorization?: string) {
    assertRouteAccess(user, routes.logout);
    const token = bearerToken(authorization);
    if (token) await this.auth.logout(user, token);
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    assertRouteAccess(user, routes.me);
    return this.auth.me(user);
  }
}
