import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller';
import { CodecService } from './codec.service';

/** The codec server for the Temporal UI and CLI (audited decoding). */
@Module({ controllers: [CodecController], providers: [CodecService] })
export class CodecModule {}
