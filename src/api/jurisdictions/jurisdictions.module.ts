import { Module } from '@nestjs/common';
import { JurisdictionSettingsService } from './jurisdiction-settings.service';
import { JurisdictionTreeService } from './jurisdiction-tree.service';
import { JurisdictionsController } from './jurisdictions.controller';

/** The jurisdiction tree and per-jurisdiction settings; exports the policy a new case gets. */
@Module({ controllers: [JurisdictionsController], providers: [JurisdictionSettingsService, JurisdictionTreeService], exports: [JurisdictionSettingsService] })
export class JurisdictionsModule {}
