import type { Queryable } from '../db';
import { scopeColumn } from '../scope';

export interface OpenCasesSummaryRow {
  stage: string;
  place: string;
  open: number;
  overdue: number;
  /** Seconds. */
  avg_age: number;
  /** Seconds. */
  max_age: number;
}

/**
 * Open cases within a jurisdiction per stage and town (or village): counts, overdue, and ages
 * at `now`, from the totals migration 016 keeps (open_case_groups, open_case_*due_days) rather
 * than a scan of the cases. Overdue = with a due time − due after `now`'s UTC day (day buckets)
 * − due later that day (a range of cases_open_due_*_idx); the oldest case is one probe of
 * cases_open_{town,village}_entered_idx per group (the finer of scope and place leads); the mean age is exact from the sum of entry times,
 * rounded to the microsecond.
 */
export async function openCasesSummary(db: Queryable, q: { jurisdiction: string; now: Date; by: 'town' | 'village' }): Promise<OpenCasesSummaryRow[]> {
  const scope = scopeColumn(q.jurisdiction);
  const column = q.by === 'village' ? 'village' : 'town'; // these are fixed names: safe to interpolate
  // By town (and not within one village), the town's day buckets: a tenth of the village ones.
  const buckets = column === 'town' && scope !== 'village' ? 'open_case_town_due_days' : 'open_case_due_days';
  return (
    await db.query<OpenCasesSummaryRow>(
      `WITH day AS (
         SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date AS today,
                (($1::timestamptz AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC' AS tomorrow
       ), g AS (
         SELECT stage, ${column} AS place, sum(open)::int AS open, sum(entered_sum) AS entered_sum, sum(with_due)::int AS with_due
           FROM open_case_groups WHERE ${scope} = $2 GROUP BY stage, ${column} HAVING sum(open) > 0
       ), due_later_days AS (
         SELECT stage, ${column} AS place, sum(due)::int AS n
           FROM ${buckets}, day WHERE ${scope} = $2 AND due_day > day.today GROUP BY stage, ${column}
       ), due_later_today AS (
         SELECT stage, ${column} AS place, count(*)::int AS n
           FROM cases, day WHERE status = 'open' AND ${scope} = $2 AND stage_due_at >= $1 AND stage_due_at < day.tomorrow
          GROUP BY stage, ${column}
       )
       SELECT g.stage, g.place, g.open,
              g.with_due - coalesce(l.n, 0) - coalesce(t.n, 0) AS overdue,
              round((g.open * extract(epoch FROM $1::timestamptz) - g.entered_sum) / g.open, 6)::float8 AS avg_age,
              extract(epoch FROM $1::timestamptz - oldest.stage_entered_at)::float8 AS max_age
         FROM g
         LEFT JOIN due_later_days l ON l.stage = g.stage AND l.place = g.place
         LEFT JOIN due_later_today t ON t.stage = g.stage AND t.place = g.place
         CROSS JOIN LATERAL (
           SELECT stage_entered_at FROM cases
            WHERE status = 'open' AND ${column} = g.place AND ${scope} = $2 AND stage = g.stage
            ORDER BY stage_entered_at LIMIT 1
         ) oldest
        ORDER BY g.place, g.stage`,
      [q.now, q.jurisdiction],
    )
  ).rows;
}
