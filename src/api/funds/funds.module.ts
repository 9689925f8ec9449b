import { Module } from '@nestjs/common';
import { FundsController } from './funds.controller';
import { FundsService } from './funds.service';
import { PayoutsService } from './payouts.service';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

/** Special funds: their books, disbursements, daily reconciliation and published payouts. */
@Module({ controllers: [FundsController, ReconciliationController], providers: [FundsService, ReconciliationService, PayoutsService] })
export class FundsModule {}
