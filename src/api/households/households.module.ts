import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { MemberTransferService } from './member-transfer.service';
import { HouseholdsController } from './households.controller';

/** The household registry and exits (an exit is a case). */
@Module({ imports: [CasesModule], controllers: [HouseholdsController], providers: [MemberTransferService] })
export class HouseholdsModule {}
