import { Module } from '@nestjs/common';
import { StreamEventsController } from './stream-events.controller';
import { StreamEventsService } from './stream-events.service';

/** Reading any stream's events with its chain verified: the routes of loans, schemes, batches, funds, pairings and help plans, and the reader cases use too. */
@Module({ controllers: [StreamEventsController], providers: [StreamEventsService], exports: [StreamEventsService] })
export class StreamsModule {}
