import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { catchError, concatMap, from, switchMap, throwError, type Observable } from 'rxjs';
import { canonicalJson } from '../../store/canonical-json';
import type { AuthedRequest } from '../auth/user';
import { PG_POOL } from '../tokens';
import { problem, toProblem, type Problem } from './problem';

/** Thrown to answer a repeated request with the stored first response (sent by ProblemFilter). */
export class ReplayResponse extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super('replay');
  }
}

type Req = AuthedRequest & { method: string; originalUrl: string; body: unknown; headers: Record<string, string | undefined> };

/**
 * The Idempotency-Key contract (shared/API.md): the first response to a (user, key) is kept;
 * a repeat gets it back without running again; a repeat with a different request is 422; a
 * repeat while the first is still running is 409. Server errors are not kept, so they can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Req>();
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined || !req.user) return next.handle();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw problem(400, 'validation', 'Idempotency-Key must be 1 to 200 visible ASCII characters', [{ path: 'header.Idempotency-Key', message: 'invalid' }]);
    const userId = req.user.userId;
    const requestHash = createHash('sha256').update(canonicalJson({ method: req.method, path: req.originalUrl, body: req.body ?? null })).digest('hex');
    const successStatus = this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? 201;

    return from(this.begin(userId, key, req, requestHash)).pipe(
      switchMap(() => next.handle()),
      concatMap(async (body) => {
        await this.finish(userId, key, successStatus, body);
        return body;
      }),
      catchError((err: unknown) => {
        if (err instanceof ReplayResponse || (err as { idempotencyOwn?: boolean }).idempotencyOwn) return throwError(() => err);
        const { problem: p, unexpected } = toProblem(err);
        return from(unexpected ? this.forget(userId, key) : this.finish(userId, key, p.status, p)).pipe(switchMap(() => throwError(() => err)));
      }),
    );
  }

  private async begin(userId: string, key: string, req: Req, requestHash: string): Promise<void> {
    const inserted = await this.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [userId, key, req.method, req.originalUrl, requestHash],
    );
    if (inserted.rowCount === 1) return;
    const first = (await this.pool.query<{ request_hash: string; status: number | null; response: unknown }>(
      'SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key],
    )).rows[0];
    if (!first) return this.begin(userId, key, req, requestHash); // forgotten between our two statements
    const own = (e: Error) => Object.assign(e, { idempotencyOwn: true });
    if (first.request_hash !== requestHash) throw own(problem(422, 'idempotency-key-reused', 'this Idempotency-Key was used for a different request'));
    if (first.status === null) throw own(problem(409, 'idempotency-in-progress', 'the first request with this Idempotency-Key is still being processed; retry shortly'));
    throw new ReplayResponse(first.status, first.response);
  }

  private async finish(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query('UPDATE idempotency_keys SET status = $3, response = $4 WHERE user_id = $1 AND key = $2',
      [userId, key, status, JSON.stringify(body ?? null) as unknown as Problem]);
  }

  private async forget(userId: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
  }
}
