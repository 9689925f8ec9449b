import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { HouseholdsController } from './households.controller';

/** The household registry and exits (an exit is a case). */
@Module({ imports: [CasesModule], controllers: [HouseholdsController] })
export class HouseholdsModule {}
