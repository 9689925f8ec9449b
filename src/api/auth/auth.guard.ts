import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Pool } from 'pg';
import type { Role } from '../../domain/roles';
import { problem } from '../http/problem';
import { PG_POOL } from '../tokens';
import { IS_PUBLIC } from './public.decorator';
import { hashToken } from '../../directory/tokens';
import type { AuthedRequest } from './user';

/** Resolves `Authorization: Bearer <token>` to a user, on every route not marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, @Inject(PG_POOL) private readonly pool: Pool) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest & { headers: Record<string, string | undefined> }>();
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw problem(401, 'unauthenticated', 'send Authorization: Bearer <token>');
    const row = (await this.pool.query<{ user_id: string; name: string; role: Role; jurisdiction: string; id_hash: string | null }>(
      'SELECT user_id, name, role, jurisdiction, id_hash FROM users WHERE token_hash = $1', [hashToken(match[1])],
    )).rows[0];
    if (!row) throw problem(401, 'unauthenticated', 'the token is not valid');
    req.user = { userId: row.user_id, name: row.name, role: row.role, jurisdiction: row.jurisdiction, idHash: row.id_hash ?? undefined };
    return true;
  }
}
