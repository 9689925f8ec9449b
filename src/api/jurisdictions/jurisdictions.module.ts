import { Module } from '@nestjs/common';
import { JurisdictionSettingsService } from './jurisdiction-settings.service';
import { JurisdictionsController } from './jurisdictions.controller';

/** Per-jurisdiction settings; exports the policy a new case gets. */
@Module({ controllers: [JurisdictionsController], providers: [JurisdictionSettingsService], exports: [JurisdictionSettingsService] })
export class JurisdictionsModule {}
