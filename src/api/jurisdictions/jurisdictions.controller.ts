import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { JurisdictionSettingsService } from './jurisdiction-settings.service';

@Controller('jurisdictions')
export class JurisdictionsController {
  constructor(private readonly settings: JurisdictionSettingsService) {}

  @Get(':code/settings')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getSettings;
    assertRouteAccess(user, r);
    return this.settings.get(user, validate(r.params, params, 'params').code);
  }

  @Post(':code/settings')
  @HttpCode(200)
  set(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.setSettings;
    assertRouteAccess(user, r);
    return this.settings.set(user, validate(r.params, params, 'params').code, validate(r.body, body, 'body'));
  }
}
