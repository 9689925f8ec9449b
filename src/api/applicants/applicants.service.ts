import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { casesOfApplicant } from '../../store/projections/console-queries';
import type { AuthUser } from '../auth/user';
import type { MyCasesQuery } from '../contract/console-schemas';
import { toCaseView } from '../cases/case-row';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { PG_POOL } from '../tokens';

/** What an applicant sees of their own applications: the same case view an official reads. */
@Injectable()
export class ApplicantsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async myCases(user: AuthUser, q: z.infer<typeof MyCasesQuery>) {
    const rows = await casesOfApplicant(this.pool, user.userId, q.cursor ? decodeCursor(q.cursor) : null, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCaseView),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.opened_at.toISOString(), last.case_id) : null,
    };
  }
}
