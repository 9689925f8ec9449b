import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { problem } from '../http/problem';
import { validate } from '../http/validate';
import { IntakeService } from './intake.service';

const mediaType = (contentType?: string) => (contentType ?? '').split(';')[0].trim().toLowerCase();

/** Thin: check the route's role, validate each part against its schema, hand over to the service. */
@Controller()
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post('intake/batches')
  @HttpCode(202)
  submit(@CurrentUser() user: AuthUser, @Body() body: unknown, @Query() query: unknown, @Headers('content-type') contentType?: string) {
    const r = routes.submitIntakeBatch;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const type = mediaType(contentType);
    if (type === 'text/csv') {
      if (!q.village)
        throw problem(400, 'validation', 'a text/csv upload needs ?village=', [{ path: 'query.village', message: 'required with a text/csv body' }]);
      return this.intake.submitCsv(user, q.village, validate(r.otherBodies['text/csv'].schema, body, 'body'));
    }
    if (type !== 'application/json') throw problem(415, 'unsupported-media-type', 'send application/json or text/csv');
    return this.intake.submitJson(user, validate(r.body, body, 'body'));
  }

  @Get('intake/batches/:batchId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getIntakeBatch;
    assertRouteAccess(user, r);
    return this.intake.get(user, validate(r.params, params, 'params').batchId);
  }
}
