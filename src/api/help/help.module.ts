import { Module } from '@nestjs/common';
import { HelpController } from './help.controller';
import { HelpPlansService } from './help-plans.service';
import { HelpService } from './help.service';

/** Issue #13: helpers, pairings, visits, lost contact, help plans. */
@Module({ controllers: [HelpController], providers: [HelpService, HelpPlansService] })
export class HelpModule {}
