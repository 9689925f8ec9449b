import { Module } from '@nestjs/common';
import { SupervisionController } from './supervision.controller';
import { SupervisionService } from './supervision.service';

/** What is stuck where, for supervisors. */
@Module({ controllers: [SupervisionController], providers: [SupervisionService] })
export class SupervisionModule {}
