import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ReplayResponse } from './idempotency.interceptor';
import { toProblem } from './problem';

/** Every error leaves as application/problem+json; unexpected ones are logged without request data. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (err instanceof ReplayResponse) {
      const isProblem = err.status >= 400;
      res.status(err.status).type(isProblem ? 'application/problem+json' : 'application/json').setHeader('Idempotent-Replayed', 'true');
      res.send(JSON.stringify(err.body));
      return;
    }
    const { problem, unexpected } = toProblem(err);
    if (unexpected) this.log.error(err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown');
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
