import { Catch, Inject, Logger, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { EventStore } from '../../store/event-store';
import type { AuthedRequest } from '../auth/user';
import { EVENT_STORE } from '../tokens';
import { ReplayResponse } from './idempotency.interceptor';
import { toProblem } from './problem';
import { answerOtherMethod } from './allowed-methods';
import { recordDenial } from './record-denial';
import type { Logger as PinoLogger } from '../../logging/logger';
import { currentRequestLog, withRequestLog } from '../logging/log-context';

const grpcCode = (err: Error) => {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return code === undefined ? '' : ` (code ${String(code)})`;
};

/** Every error leaves as application/problem+json; unexpected ones are logged without request data. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async catch(err: unknown, host: ArgumentsHost): Promise<void> {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request & AuthedRequest>();
    if (err instanceof ReplayResponse) {
      const isProblem = err.status >= 400;
      res
        .status(err.status)
        .type(isProblem ? 'application/problem+json' : 'application/json')
        .setHeader('Idempotent-Replayed', 'true');
      res.send(JSON.stringify(err.body));
      return;
    }
    // No route took it (Nest's own 404): a path we serve with other methods is 405 with Allow.
    if (err instanceof NotFoundException && !(req as { route?: unknown }).route && answerOtherMethod(req, res)) return;
    const { problem, unexpected } = toProblem(err);
    if (unexpected) this.logUnexpected(req, err, problem.status);
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (problem.status === 503) res.setHeader('Retry-After', '2');
    if (problem.status === 403 && req.user) await this.recordDenial(req, problem.detail);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  /**
   * A 503 is an outage of Temporal or Postgres for a moment (a deadline passed, a connection
   * lost): the client retries, so it is a warning; anything else unexpected is an error. Under
   * the request's logger, also for errors raised before its context was entered (body parsing).
   */
  private logUnexpected(req: Request, err: unknown, status: number): void {
    const what = err instanceof Error ? `${err.name}: ${err.message}${grpcCode(err)}` : 'non-error thrown';
    const write = () => (status === 503 ? this.log.warn(`temporarily unavailable: ${what}`) : this.log.error(`unexpected: ${what}`));
    const requestLog = (req as Request & { log?: PinoLogger }).log;
    if (requestLog && !currentRequestLog()) withRequestLog(requestLog, write);
    else write();
  }

  /** Every denial is recorded (http/record-denial.ts); a failure to record is logged, the answer stands. */
  private async recordDenial(req: Request & AuthedRequest, reason: string): Promise<void> {
    const user = req.user as NonNullable<AuthedRequest['user']>;
    try {
      await recordDenial(this.store, user, { method: req.method, path: req.originalUrl.split('?')[0] }, reason);
    } catch (e) {
      this.log.error(`could not record a denial: ${(e as Error).message}`);
    }
  }
}
