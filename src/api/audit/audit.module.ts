import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { DenialsService } from './denials.service';

/** The audit trail's reads: recorded 403s. */
@Module({ controllers: [AuditController], providers: [DenialsService] })
export class AuditModule {}
