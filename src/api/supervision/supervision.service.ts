import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { contains } from '../../domain/jurisdiction';
import type { AuthUser } from '../auth/user';
import type { StalledQuery, SummaryQuery } from '../contract/supervision-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden } from '../http/problem';
import { scopeColumn } from '../../store/scope';
import { PG_POOL } from '../tokens';

const DAY_MS = 86_400_000;

/** Index-backed reads over the cases projection (see cases_open_due_idx and the place indexes). */
@Injectable()
export class SupervisionService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private scope(user: AuthUser, narrower?: string): string {
    if (!narrower) return user.jurisdiction;
    if (!contains(user.jurisdiction, narrower)) throw forbidden('that jurisdiction is outside yours');
    return narrower;
  }

  async stalled(user: AuthUser, q: z.infer<typeof StalledQuery>, now = new Date()) {
    const scope = this.scope(user, q.jurisdiction);
    const [afterDue, afterId] = q.cursor ? decodeCursor(q.cursor) : [null, null];
    const rows = (await this.pool.query<{ case_id: string; stage: string; village: string; town: string; holder: string | null; stage_entered_at: Date; stage_due_at: Date }>(
      `SELECT case_id, stage, village, town, holder, stage_entered_at, stage_due_at FROM cases
       WHERE status = 'open' AND stage_due_at < $1 AND ${scopeColumn(scope)} = $2 AND ($3::text IS NULL OR stage = $3)
         AND ($4::timestamptz IS NULL OR (stage_due_at, case_id) > ($4, $5))
       ORDER BY stage_due_at, case_id LIMIT $6`,
      [now, scope, q.stage ?? null, afterDue, afterId, q.limit + 1],
    )).rows;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        caseId: r.case_id, stage: r.stage as never, village: r.village, town: r.town, holder: r.holder,
        stageEnteredAt: r.stage_entered_at.toISOString(), dueAt: r.stage_due_at.toISOString(),
        daysOverdue: Math.floor((now.getTime() - r.stage_due_at.getTime()) / DAY_MS),
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.stage_due_at.toISOString(), last.case_id) : null,
    };
  }

  async summary(user: AuthUser, q: z.infer<typeof SummaryQuery>, now = new Date()) {
    const scope = this.scope(user, q.jurisdiction);
    const column = q.by === 'village' ? 'village' : 'town'; // from an enum: safe to interpolate
    const rows = (await this.pool.query<{ stage: string; place: string; open: number; overdue: number; avg_age: number; max_age: number }>(
      `SELECT stage, ${column} AS place, count(*)::int AS open,
              count(*) FILTER (WHERE stage_due_at < $1)::int AS overdue,
              extract(epoch FROM avg($1 - stage_entered_at))::float8 AS avg_age,
              extract(epoch FROM max($1 - stage_entered_at))::float8 AS max_age
       FROM cases WHERE status = 'open' AND ${scopeColumn(scope)} = $2
       GROUP BY stage, ${column} ORDER BY ${column}, stage`,
      [now, scope],
    )).rows;
    const days = (s: number) => Math.round((s / 86_400) * 10) / 10;
    return {
      asOf: now.toISOString(),
      rows: rows.map((r) => ({ stage: r.stage as never, jurisdiction: r.place, open: r.open, overdue: r.overdue, averageAgeDays: days(r.avg_age), oldestAgeDays: days(r.max_age) })),
    };
  }
}
