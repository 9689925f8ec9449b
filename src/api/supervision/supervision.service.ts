import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { contains } from '../../domain/jurisdiction';
import type { AuthUser } from '../auth/user';
import type { StalledQuery, SummaryQuery } from '../contract/supervision-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden } from '../http/problem';
import { stalledCases } from '../../store/projections/cases-queries';
import { openCasesSummary } from '../../store/projections/open-cases-summary';
import { PG_POOL } from '../tokens';

const DAY_MS = 86_400_000;

/** What is stuck where, from the cases projection (its reads: cases-queries.ts, open-cases-summary.ts). */
@Injectable()
export class SupervisionService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private scope(user: AuthUser, narrower?: string): string {
    if (!narrower) return user.jurisdiction;
    if (!contains(user.jurisdiction, narrower)) throw forbidden('that jurisdiction is outside yours');
    return narrower;
  }

  /** A page of `q.limit` stalled cases; an export asks for up to `max` (EXPORT_CAP) instead, with the same filters and scope. */
  async stalled(user: AuthUser, q: z.infer<typeof StalledQuery>, max = q.limit, now = new Date()) {
    const scope = this.scope(user, q.jurisdiction);
    const rows = await stalledCases(this.pool, {
      jurisdiction: scope,
      now,
      stage: q.stage,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: max + 1,
    });
    const page = rows.slice(0, max);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        caseId: r.case_id,
        stage: r.stage as never,
        village: r.village,
        town: r.town,
        holder: r.holder,
        heldSince: r.held_since?.toISOString() ?? null,
        escalationLevel: r.escalation_level ?? ('none' as const),
        taskId: r.task_id,
        stageEnteredAt: r.stage_entered_at.toISOString(),
        dueAt: r.stage_due_at.toISOString(),
        daysOverdue: Math.floor((now.getTime() - r.stage_due_at.getTime()) / DAY_MS),
      })),
      nextCursor: rows.length > max && last ? encodeCursor(last.stage_due_at.toISOString(), last.case_id) : null,
    };
  }

  async summary(user: AuthUser, q: z.infer<typeof SummaryQuery>, now = new Date()) {
    const scope = this.scope(user, q.jurisdiction);
    const rows = await openCasesSummary(this.pool, { jurisdiction: scope, now, by: q.by === 'village' ? 'village' : 'town' });
    const days = (s: number) => Math.round((s / 86_400) * 10) / 10;
    return {
      asOf: now.toISOString(),
      rows: rows.map((r) => ({
        stage: r.stage as never,
        jurisdiction: r.place,
        open: r.open,
        overdue: r.overdue,
        averageAgeDays: days(r.avg_age),
        oldestAgeDays: days(r.max_age),
      })),
    };
  }
}
