import { Module } from '@nestjs/common';
import { ApplicantsController } from './applicants.controller';
import { ApplicantsService } from './applicants.service';

/** An applicant's own cases (GET /my/cases). */
@Module({ controllers: [ApplicantsController], providers: [ApplicantsService] })
export class ApplicantsModule {}
