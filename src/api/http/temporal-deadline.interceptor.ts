import { Inject, Injectable, type CallHandler, type NestInterceptor } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { Observable } from 'rxjs';
import type { Config } from '../../config/config';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';

/**
 * Every Temporal call a request makes shares one deadline (config TEMPORAL_CALL_TIMEOUT). Without
 * it an Update waits for as long as the workflow's worker is away, the request hangs, and every
 * retry of its Idempotency-Key meets 409. With it the request ends in a 503 (ProblemFilter); the
 * retry sends the same Update id and joins the first Update, whose outcome Temporal keeps.
 */
@Injectable()
export class TemporalDeadlineInterceptor implements NestInterceptor {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  intercept(_ctx: unknown, next: CallHandler): Observable<unknown> {
    const deadline = Date.now() + this.config.temporalCallTimeoutMs;
    // The deadline lives in the connection's async-local call context: the handler must be
    // subscribed to (so run) inside it.
    return new Observable((subscriber) => {
      let inner: { unsubscribe(): void } | undefined;
      void this.temporal.connection.withDeadline(deadline, async () => {
        inner = next.handle().subscribe(subscriber);
      });
      return () => inner?.unsubscribe();
    });
  }
}
