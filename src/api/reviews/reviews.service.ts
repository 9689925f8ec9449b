import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { contains } from '../../domain/jurisdiction';
import { actsWithin } from '../../domain/role-levels';
import { recordReview } from '../../help/help-streams';
import type { EventStore } from '../../store/event-store';
import { findReview, reviewsWithin, type ReviewRow } from '../../store/help/help-queries';
import type { AuthUser } from '../auth/user';
import { CasesService } from '../cases/cases.service';
import type { ConfirmReviewBody, ProposeExitBody, ReviewsQuery } from '../contract/review-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { EVENT_STORE, PG_POOL } from '../tokens';

/** Annual re-verification (issue #13): reviews opened by the yearly run; the village confirms or proposes an exit. */
@Injectable()
export class ReviewsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cases: CasesService,
  ) {}

  async list(user: AuthUser, q: z.infer<typeof ReviewsQuery>) {
    if (q.jurisdiction && !contains(user.jurisdiction, q.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    const rows = await reviewsWithin(this.pool, {
      scope: q.jurisdiction ?? user.jurisdiction,
      year: q.year,
      status: q.status,
      after: q.cursor ? decodeCursor(q.cursor)[1] : null,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => view(r, null)), nextCursor: rows.length > q.limit && last ? encodeCursor('', last.review_id) : null };
  }

  private async review(user: AuthUser, reviewId: string): Promise<ReviewRow> {
    const row = await findReview(this.pool, reviewId);
    if (!row) throw notFound('the review');
    if (!actsWithin(user, row.village)) throw forbidden('the household is outside your jurisdiction');
    return row;
  }

  async confirm(user: AuthUser, reviewId: string, body: z.infer<typeof ConfirmReviewBody>) {
    await this.review(user, reviewId);
    await recordReview(this.store, reviewId, { type: 'Confirm', note: body.note, actor: user }, 'close', user.userId);
    return view((await findReview(this.pool, reviewId)) as ReviewRow, null);
  }

  /** The exit case first (its id from the Idempotency-Key, so a retry joins it), then the review records it. */
  async proposeExit(user: AuthUser, reviewId: string, body: z.infer<typeof ProposeExitBody>, idempotencyKey?: string) {
    const row = await this.review(user, reviewId);
    if (row.status !== 'open') throw problem(409, 'conflict', `the review is already closed (${row.status})`);
    const exit = await this.cases.proposeExit(user, row.household_id, { reason: body.reason }, `review:${reviewId}:${idempotencyKey ?? randomUUID()}`);
    await recordReview(this.store, reviewId, { type: 'ProposeExit', reason: body.reason, exitCaseId: exit.caseId, actor: user }, 'close', user.userId);
    return view((await findReview(this.pool, reviewId)) as ReviewRow, exit.caseId);
  }
}

function view(r: ReviewRow, exitCaseId: string | null) {
  return {
    reviewId: r.review_id,
    householdId: r.household_id,
    village: r.village,
    year: r.year,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    closedBy: r.closed_by,
    exitCaseId,
  };
}
