import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../../config/config';
import { createEventStore } from '../../store/create-event-store';
import { IdempotencyKeys } from '../http/idempotency-keys';
import { CLOCK, CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from '../tokens';

/** The process-wide resources the API is given (so tests can hand it their own). */
export interface ApiDeps {
  config: Config;
  pool: Pool;
  temporal: Client;
  /** The time log-ins and sessions are decided at; the wall clock unless a test gives its own. */
  clock?: () => Date;
}

/**
 * The resources every feature module uses: configuration, the clock, the Postgres pool, the Temporal
 * client, the event store, and the Idempotency-Key table with this process's liveness lock
 * (one per process: the interceptor keeps a request's answer there, the batch decision each
 * case's). Global, so that the feature modules inject them without importing this module each.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot({ config, pool, temporal, clock }: ApiDeps): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: config },
      { provide: PG_POOL, useValue: pool },
      { provide: TEMPORAL_CLIENT, useValue: temporal },
      { provide: EVENT_STORE, useValue: createEventStore(pool) },
      { provide: CLOCK, useValue: clock ?? (() => new Date()) },
    ];
    return { module: CoreModule, providers: [...providers, IdempotencyKeys], exports: [...providers.map((p) => p.provide), IdempotencyKeys] };
  }
}
