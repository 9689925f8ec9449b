import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ComparisonController } from './comparison.controller';
import { ReferenceListsService } from './reference-lists.service';

/** The comparison step (比对): reference lists, and the town's settling of the queries they raise. */
@Module({ imports: [CasesModule], controllers: [ComparisonController], providers: [ReferenceListsService] })
export class ComparisonModule {}
