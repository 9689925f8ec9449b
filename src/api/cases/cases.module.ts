import { Module } from '@nestjs/common';
import { JurisdictionsModule } from '../jurisdictions/jurisdictions.module';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

/** Identification cases: applications, decisions, objections; exports the service that starts a case. */
@Module({ imports: [JurisdictionsModule], controllers: [CasesController], providers: [CasesService], exports: [CasesService] })
export class CasesModule {}
