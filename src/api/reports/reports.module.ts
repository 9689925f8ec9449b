import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Issue #13: the biweekly progress report and the quarterly assessment. */
@Module({ controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
