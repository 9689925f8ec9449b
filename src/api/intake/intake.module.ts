import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';

/** Bulk intake: many applications from one upload, each started as a case. */
@Module({ imports: [CasesModule], controllers: [IntakeController], providers: [IntakeService] })
export class IntakeModule {}
