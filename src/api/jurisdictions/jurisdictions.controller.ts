import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { JurisdictionSettingsService } from './jurisdiction-settings.service';
import { JurisdictionTreeService } from './jurisdiction-tree.service';

@Controller('jurisdictions')
export class JurisdictionsController {
  constructor(
    private readonly settings: JurisdictionSettingsService,
    private readonly tree: JurisdictionTreeService,
  ) {}

  @Get()
  list(@CurrentUser() user: AuthUser) {
    assertRouteAccess(user, routes.listJurisdictions);
    return this.tree.list(user);
  }

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    const r = routes.createJurisdiction;
    assertRouteAccess(user, r);
    return this.tree.create(user, validate(r.body, body, 'body'));
  }

  @Patch(':code')
  rename(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.renameJurisdiction;
    assertRouteAccess(user, r);
    return this.tree.rename(user, validate(r.params, params, 'params').code, validate(r.body, body, 'body'));
  }

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
