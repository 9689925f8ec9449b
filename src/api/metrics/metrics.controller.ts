import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { MetricsService } from './metrics.service';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Bytes with their type as given: Express would rewrite a string's as `text/plain; charset=utf-8; version=0.0.4`. */
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@CurrentUser() user: AuthUser): Promise<StreamableFile> {
    assertRouteAccess(user, routes.metrics);
    const text = await this.metrics.scrape();
    return new StreamableFile(Buffer.from(text, 'utf8'), { type: this.metrics.contentType });
  }
}
