import { Module } from '@nestjs/common';
import { PublicityController } from './publicity.controller';
import { PublicityService } from './publicity.service';

/** Publicity notices per village and stage (GET /publicity/{village}). */
@Module({ controllers: [PublicityController], providers: [PublicityService] })
export class PublicityModule {}
