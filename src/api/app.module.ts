import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../config/config';
import { createEventStore } from '../store/create-event-store';
import { AuditController } from './audit/audit.controller';
import { DenialsService } from './audit/denials.service';
import { AuthGuard } from './auth/auth.guard';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { CodecController } from './codec/codec.controller';
import { CodecService } from './codec/codec.service';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { TemporalDeadlineInterceptor } from './http/temporal-deadline.interceptor';
import { IdempotencyKeys } from './http/idempotency-keys';
import { IntakeController } from './intake/intake.controller';
import { IntakeService } from './intake/intake.service';
import { ProblemFilter } from './http/problem.filter';
import { DocsController } from './system/docs.controller';
import { HealthController } from './system/health.controller';
import { HouseholdsController } from './households/households.controller';
import { JurisdictionSettingsService } from './jurisdictions/jurisdiction-settings.service';
import { JurisdictionsController } from './jurisdictions/jurisdictions.controller';
import { FundsController } from './funds/funds.controller';
import { FundsService } from './funds/funds.service';
import { PayoutsService } from './funds/payouts.service';
import { ReconciliationController } from './funds/reconciliation.controller';
import { ReconciliationService } from './funds/reconciliation.service';
import { SupervisionController } from './supervision/supervision.controller';
import { SupervisionService } from './supervision/supervision.service';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from './tokens';

export interface ApiDeps {
  config: Config;
  pool: Pool;
  temporal: Client;
}

/** The HTTP API, given its process-wide resources (so tests can hand it their own). */
@Module({})
export class AppModule {
  static create({ config, pool, temporal }: ApiDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, DocsController, CasesController, HouseholdsController, JurisdictionsController, FundsController, ReconciliationController, TasksController, SupervisionController, IntakeController, AuditController, CodecController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: PG_POOL, useValue: pool },
        { provide: TEMPORAL_CLIENT, useValue: temporal },
        { provide: EVENT_STORE, useValue: createEventStore(pool) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: TemporalDeadlineInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        IdempotencyKeys,
        CasesService,
        TasksService,
        JurisdictionSettingsService,
        FundsService,
        ReconciliationService,
        PayoutsService,
        SupervisionService,
        IntakeService,
        DenialsService,
        CodecService,
      ],
    };
  }
}
