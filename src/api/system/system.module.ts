import { Module } from '@nestjs/common';
import { DocsController } from './docs.controller';
import { HealthController } from './health.controller';

/** Health and the API's own documentation (OpenAPI document, viewer). */
@Module({ controllers: [HealthController, DocsController] })
export class SystemModule {}
