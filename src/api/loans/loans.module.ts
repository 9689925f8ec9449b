import { Module } from '@nestjs/common';
import { JurisdictionsModule } from '../jurisdictions/jurisdictions.module';
import { LoanSchemesController } from './loan-schemes.controller';
import { LoanSchemesService } from './loan-schemes.service';
import { LoansController } from './loans.controller';
import { LoansService } from './loans.service';

/** Revolving loans (issue #10): schemes on a pool, batches of households, each household's loan for years. */
@Module({ imports: [JurisdictionsModule], controllers: [LoanSchemesController, LoansController], providers: [LoanSchemesService, LoansService] })
export class LoansModule {}
