import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { TasksService } from './tasks.service';

@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  inbox(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listTasks;
    assertRouteAccess(user, r);
    return this.tasks.inbox(user, validate(r.query, query, 'query'));
  }

  @Post(':taskId/claim')
  @HttpCode(200)
  claim(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.claimTask;
    assertRouteAccess(user, r);
    return this.tasks.claim(user, validate(r.params, params, 'params').taskId);
  }

  @Post(':taskId/release')
  @HttpCode(200)
  release(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.releaseTask;
    assertRouteAccess(user, r);
    return this.tasks.release(user, validate(r.params, params, 'params').taskId);
  }

  @Post(':taskId/reassign')
  @HttpCode(200)
  reassign(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.reassignTask;
    assertRouteAccess(user, r);
    return this.tasks.reassign(user, validate(r.params, params, 'params').taskId, validate(r.body, body, 'body'), key);
  }
}
