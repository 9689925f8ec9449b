import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Pool } from 'pg';
import { forbidden, problem } from '../http/problem';
import { misplacement } from '../../domain/role-levels';
import { CLOCK, PG_POOL } from '../tokens';
import { acceptsCodecSessionKey, codecSessionToken } from './codec-session';
import { IS_PUBLIC } from './public.decorator';
import { userByBearer } from '../../directory/accounts';
import { hashToken } from '../../directory/tokens';
import type { AuthedRequest, AuthUser } from './user';

/**
 * Resolves `Authorization: Bearer <token>` to a user, on every route not marked @Public(); on
 * the codec routes, the codec session cookie as well (see codec-session.ts). A token is an API
 * token (users.token_hash) or a log-in session's (POST /auth/login); either works only while the
 * user is active, and a session only until it expires or is logged out.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest & { headers: Record<string, string | undefined> }>();
    const bearer = bearerToken(req.headers.authorization);
    const session = this.reflector.getAllAndOverride<boolean>(acceptsCodecSessionKey, targets) ? codecSessionToken(req.headers.cookie) : undefined;
    if (!bearer && !session) throw problem(401, 'unauthenticated', 'send Authorization: Bearer <token>');
    // A browser may send someone else's Authorization (the Temporal UI's own token) beside our cookie.
    for (const token of [bearer, session]) {
      const user = token ? await this.userOf(token) : undefined;
      if (user) {
        req.user = user;
        const wrongPlace = misplacement(user.role, user.jurisdiction);
        // Refused (and recorded as a denial) before any handler: a role held at the wrong level would
        // otherwise see and act on every place below it.
        if (wrongPlace) throw forbidden(`${wrongPlace}: 请管理员更正您的账户 (ask an administrator to correct your account)`);
        return true;
      }
    }
    throw problem(401, 'unauthenticated', 'the token is not valid');
  }

  private async userOf(token: string): Promise<AuthUser | undefined> {
    const row = await userByBearer(this.pool, hashToken(token), this.clock());
    return row && { userId: row.user_id, name: row.name, role: row.role, jurisdiction: row.jurisdiction, idHash: row.id_hash ?? undefined };
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export const bearerToken = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
