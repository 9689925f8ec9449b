import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { MetricsService } from './metrics.service';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  async scrape(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<string> {
    assertRouteAccess(user, routes.metrics);
    const text = await this.metrics.scrape();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return text;
  }
}
