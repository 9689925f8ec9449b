import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../../domain/roles';

export interface AuthUser extends Actor {
  name: string;
}

export type AuthedRequest = { user?: AuthUser };

/** The authenticated caller, set by AuthGuard. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw new Error('CurrentUser on a public route');
  return user;
});
