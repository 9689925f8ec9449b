/**
 * The figures of the biweekly progress report and the quarterly assessment (issue #13), one
 * row per village within a jurisdiction, for the window [from, to). Set-based: each figure is
 * one grouped scan over an index by village (a town's or county's villages are a range of
 * codes), joined to the villages of the place. Figures "now" (enrolled, paired, lost contact,
 * overdue) are as of the query; the others count what happened within the window.
 */
import type { Queryable } from '../db';

export interface VillageReportRow {
  village: string;
  name: string;
  population: number | null;
  enrolled_households: number;
  enrolled_people: number;
  cases_opened: number;
  households_enrolled: number;
  households_exited: number;
  open_overdue: number;
  paired: number;
  visits: number;
  lost_contact: number;
  plans_effective: number;
  disbursed_fen: string;
}

export async function villageReport(db: Queryable, q: { scope: string; from: Date; to: Date; now: Date }): Promise<VillageReportRow[]> {
  const hi = `${q.scope}${'9'.repeat(12 - q.scope.length)}`;
  return (
    await db.query<VillageReportRow>(
      `WITH v AS (SELECT code, name, population FROM jurisdictions WHERE level = 'village' AND code >= $1 AND code <= $2),
       hh AS (SELECT village, count(*)::int AS households, sum(jsonb_array_length(members))::int AS people
                FROM households WHERE status = 'enrolled' AND village >= $1 AND village <= $2 GROUP BY village),
       cs AS (SELECT village,
                     count(*) FILTER (WHERE opened_at >= $3 AND opened_at < $4)::int AS opened,
                     count(*) FILTER (WHERE status = 'enrolled' AND updated_at >= $3 AND updated_at < $4)::int AS enrolled,
                     count(*) FILTER (WHERE status = 'exited' AND updated_at >= $3 AND updated_at < $4)::int AS exited,
                     count(*) FILTER (WHERE status = 'open' AND stage_due_at < $5)::int AS overdue
                FROM cases WHERE village >= $1 AND village <= $2 AND (status = 'open' OR updated_at >= $3 OR opened_at >= $3) GROUP BY village),
       pr AS (SELECT p.village, count(*)::int AS paired, count(*) FILTER (WHERE p.lost_contact_since IS NOT NULL)::int AS lost
                FROM pairings p JOIN households h ON h.household_id = p.household_id AND h.status = 'enrolled'
               WHERE p.status = 'active' AND p.village >= $1 AND p.village <= $2 GROUP BY p.village),
       vi AS (SELECT village, count(*)::int AS visits FROM visits WHERE village >= $1 AND village <= $2 AND visited_at >= $3 AND visited_at < $4 GROUP BY village),
       pl AS (SELECT village, count(*)::int AS effective FROM help_plans WHERE status = 'effective' AND village >= $1 AND village <= $2 GROUP BY village),
       ds AS (SELECT village, sum(amount_fen)::text AS fen FROM disbursements
               WHERE status = 'paid' AND village >= $1 AND village <= $2 AND paid_at >= $3 AND paid_at < $4 GROUP BY village)
       SELECT v.code AS village, v.name, v.population,
              coalesce(hh.households, 0) AS enrolled_households, coalesce(hh.people, 0) AS enrolled_people,
              coalesce(cs.opened, 0) AS cases_opened, coalesce(cs.enrolled, 0) AS households_enrolled, coalesce(cs.exited, 0) AS households_exited,
              coalesce(cs.overdue, 0) AS open_overdue, coalesce(pr.paired, 0) AS paired, coalesce(vi.visits, 0) AS visits,
              coalesce(pr.lost, 0) AS lost_contact, coalesce(pl.effective, 0) AS plans_effective, coalesce(ds.fen, '0') AS disbursed_fen
         FROM v LEFT JOIN hh ON hh.village = v.code LEFT JOIN cs ON cs.village = v.code LEFT JOIN pr ON pr.village = v.code
              LEFT JOIN vi ON vi.village = v.code LEFT JOIN pl ON pl.village = v.code LEFT JOIN ds ON ds.village = v.code
        ORDER BY v.code`,
      [q.scope, hi, q.from, q.to, q.now],
    )
  ).rows;
}
