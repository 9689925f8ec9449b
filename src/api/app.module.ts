import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApplicantsModule } from './applicants/applicants.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { CodecModule } from './codec/codec.module';
import { ComparisonModule } from './comparison/comparison.module';
import { CoreModule, type ApiDeps } from './core/core.module';
import { FundsModule } from './funds/funds.module';
import { HelpModule } from './help/help.module';
import { HouseholdsModule } from './households/households.module';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ProblemFilter } from './http/problem.filter';
import { TemporalDeadlineInterceptor } from './http/temporal-deadline.interceptor';
import { IntakeModule } from './intake/intake.module';
import { JurisdictionsModule } from './jurisdictions/jurisdictions.module';
import { LoansModule } from './loans/loans.module';
import { MetricsModule } from './metrics/metrics.module';
import { PublicityModule } from './publicity/publicity.module';
import { ReportsModule } from './reports/reports.module';
import { ReviewsModule } from './reviews/reviews.module';
import { StreamsModule } from './streams/streams.module';
import { SupervisionModule } from './supervision/supervision.module';
import { SystemModule } from './system/system.module';
import { TasksModule } from './tasks/tasks.module';
import { UsersModule } from './users/users.module';

export type { ApiDeps };

/**
 * The HTTP API: the shared resources, one module per feature, and what applies to every route
 * (authentication, the Idempotency-Key, Temporal deadlines, errors as problem+json). The
 * interceptors are listed here, in one place, because their order matters.
 */
@Module({})
export class AppModule {
  static create(deps: ApiDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        SystemModule,
        AuthModule,
        UsersModule,
        CasesModule,
        HouseholdsModule,
        JurisdictionsModule,
        FundsModule,
        LoansModule,
        TasksModule,
        SupervisionModule,
        IntakeModule,
        AuditModule,
        CodecModule,
        MetricsModule,
        ApplicantsModule,
        PublicityModule,
        HelpModule,
        ReportsModule,
        ReviewsModule,
        StreamsModule,
        ComparisonModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: TemporalDeadlineInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
