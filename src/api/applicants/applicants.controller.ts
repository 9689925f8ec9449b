import { Controller, Get, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { ApplicantsService } from './applicants.service';

@Controller('my')
export class ApplicantsController {
  constructor(private readonly applicants: ApplicantsService) {}

  @Get('cases')
  myCases(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.myCases;
    assertRouteAccess(user, r);
    return this.applicants.myCases(user, validate(r.query, query, 'query'));
  }
}
