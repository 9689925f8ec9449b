import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

/** Issue #13: annual re-verification reviews (an exit it proposes is a case). */
@Module({ imports: [CasesModule], controllers: [ReviewsController], providers: [ReviewsService] })
export class ReviewsModule {}
