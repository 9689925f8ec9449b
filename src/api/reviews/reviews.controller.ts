import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { ReviewsService } from './reviews.service';

@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listReviews;
    assertRouteAccess(user, r);
    return this.reviews.list(user, validate(r.query, query, 'query'));
  }

  @Post(':reviewId/confirm')
  @HttpCode(200)
  confirm(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown) {
    const r = routes.confirmReview;
    assertRouteAccess(user, r);
    return this.reviews.confirm(user, validate(r.params, params, 'params').reviewId, validate(r.body, body, 'body'));
  }

  @Post(':reviewId/propose-exit')
  @HttpCode(200)
  proposeExit(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.proposeExitFromReview;
    assertRouteAccess(user, r);
    return this.reviews.proposeExit(user, validate(r.params, params, 'params').reviewId, validate(r.body, body, 'body'), key);
  }
}
