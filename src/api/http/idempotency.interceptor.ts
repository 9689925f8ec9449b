import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { catchError, concatMap, from, switchMap, throwError, type Observable } from 'rxjs';
import type { AuthedRequest } from '../auth/user';
import { IdempotencyKeyHeader } from '../contract/route-spec';
import { IdempotencyKeys, requestHash } from './idempotency-keys';
import { problem, toProblem } from './problem';

/** Thrown to answer a repeated request with the stored first response (sent by ProblemFilter). */
export class ReplayResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('replay');
  }
}

type Req = AuthedRequest & { method: string; originalUrl: string; body: unknown; headers: Record<string, string | undefined> };

/**
 * The Idempotency-Key contract (shared/API.md): the first response to a (user, key) is kept;
 * a repeat gets it back without running again; a repeat with a different request is 422; a
 * repeat while the first is still running is 409. Server errors are not kept, so they can be
 * retried. A first request whose process died is run again by the retry (IdempotencyKeys),
 * and keys expire (config IDEMPOTENCY_KEY_TTL).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Req>();
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined || !req.user) return next.handle();
    if (!IdempotencyKeyHeader.safeParse(key).success)
      throw problem(400, 'validation', 'Idempotency-Key must be 1 to 200 visible ASCII characters', [{ path: 'header.Idempotency-Key', message: 'invalid' }]);
    const userId = req.user.userId;
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const successStatus = this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? 201;

    return from(this.begin(userId, key, req, hash, ctx.switchToHttp().getResponse<Response>())).pipe(
      switchMap(() => next.handle()),
      concatMap(async (body) => {
        await this.keys.settle(() => this.keys.finish(userId, key, successStatus, body));
        return body;
      }),
      catchError((err: unknown) => {
        if (err instanceof ReplayResponse || (err as { idempotencyOwn?: boolean }).idempotencyOwn) return throwError(() => err);
        const { problem: p, unexpected } = toProblem(err);
        const settled = this.keys.settle(() => (unexpected ? this.keys.forget(userId, key) : this.keys.finish(userId, key, p.status, p)));
        return from(settled.catch(() => undefined)).pipe(switchMap(() => throwError(() => err)));
      }),
    );
  }

  /** Resolves when this request is ours to run; otherwise throws its answer. */
  private async begin(userId: string, key: string, req: Req, hash: string, res: Response): Promise<void> {
    const first = await this.keys.begin(userId, key, req.method, req.originalUrl, hash);
    const own = (e: Error) => Object.assign(e, { idempotencyOwn: true }); // answers about the key itself are not kept as its answer
    switch (first.kind) {
      case 'run':
        return;
      case 'reused':
        throw own(problem(422, 'idempotency-key-reused', 'this Idempotency-Key was used for a different request'));
      case 'in-progress':
        res.setHeader('Retry-After', '1');
        throw own(problem(409, 'idempotency-in-progress', 'the first request with this Idempotency-Key is still being processed; retry shortly'));
      case 'replay':
        throw new ReplayResponse(first.status, first.response);
    }
  }
}
