import { Module } from '@nestjs/common';
import { JurisdictionsModule } from '../jurisdictions/jurisdictions.module';
import { StreamsModule } from '../streams/streams.module';
import { CasesController } from './cases.controller';
import { BatchDecisionsService } from './batch-decisions.service';
import { CasesService } from './cases.service';

/** Identification cases: applications, decisions (one case or a batch), objections; exports the service that starts a case. */
@Module({
  imports: [JurisdictionsModule, StreamsModule],
  controllers: [CasesController],
  providers: [CasesService, BatchDecisionsService],
  exports: [CasesService],
})
export class CasesModule {}
