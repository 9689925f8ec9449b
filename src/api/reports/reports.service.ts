import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { contains } from '../../domain/jurisdiction';
import { jurisdictionNames } from '../../store/projections/console-queries';
import { villageReport, type VillageReportRow } from '../../store/reports/village-report';
import type { AuthUser } from '../auth/user';
import type { AssessmentQuery, ProgressQuery, ReportRowT } from '../contract/report-schemas';
import { forbidden, problem } from '../http/problem';
import { PG_POOL } from '../tokens';

const DAY_MS = 86_400_000;

/** The window of a quarter such as 2026-Q4, in UTC. */
export function quarterWindow(quarter: string): { from: Date; to: Date } {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  return { from: new Date(Date.UTC(year, (q - 1) * 3, 1)), to: new Date(Date.UTC(year, q * 3, 1)) };
}

const currentQuarter = (now: Date) => `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

/** Biweekly progress and quarterly assessment (issue #13): figures per village from the read models. */
@Injectable()
export class ReportsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private scope(user: AuthUser, narrower?: string): string {
    if (!narrower) return user.jurisdiction;
    if (!contains(user.jurisdiction, narrower)) throw forbidden('that jurisdiction is outside yours');
    return narrower;
  }

  progress(user: AuthUser, q: z.infer<typeof ProgressQuery>, now = new Date()) {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(today - 13 * DAY_MS);
    if (from.getTime() > now.getTime()) {
      throw problem(400, 'validation', 'the request query is not valid: query.from', [{ path: 'query.from', message: 'a fortnight that has begun' }]);
    }
    const to = new Date(from.getTime() + 14 * DAY_MS);
    return this.report('progress', this.scope(user, q.jurisdiction), { from, to, label: `${from.toISOString().slice(0, 10)}/P14D` }, now);
  }

  assessment(user: AuthUser, q: z.infer<typeof AssessmentQuery>, now = new Date()) {
    const quarter = q.quarter ?? currentQuarter(now);
    const { from, to } = quarterWindow(quarter);
    if (from.getTime() > now.getTime()) {
      throw problem(400, 'validation', 'the request query is not valid: query.quarter', [{ path: 'query.quarter', message: 'a quarter that has begun' }]);
    }
    return this.report('assessment', this.scope(user, q.jurisdiction), { from, to, label: quarter }, now);
  }

  private async report(report: 'progress' | 'assessment', scope: string, period: { from: Date; to: Date; label: string }, now: Date) {
    const [rows, names] = await Promise.all([
      villageReport(this.pool, { scope, from: period.from, to: period.to, now }),
      jurisdictionNames(this.pool, [scope]),
    ]);
    const villages = rows.map(toRow);
    return {
      report,
      jurisdiction: scope,
      period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label },
      asOf: now.toISOString(),
      rows: [...villages, total(scope, names.get(scope) ?? scope, villages)],
    };
  }
}

const share = (part: number, whole: number | null) => (whole ? part / whole : null);

function toRow(r: VillageReportRow): ReportRowT {
  return {
    jurisdiction: r.village,
    name: r.name,
    population: r.population,
    enrolledHouseholds: r.enrolled_households,
    enrolledPeople: r.enrolled_people,
    incidence: share(r.enrolled_people, r.population),
    casesOpened: r.cases_opened,
    householdsEnrolled: r.households_enrolled,
    householdsExited: r.households_exited,
    openOverdue: r.open_overdue,
    paired: r.paired,
    coverage: share(r.paired, r.enrolled_households),
    visits: r.visits,
    lostContact: r.lost_contact,
    plansEffective: r.plans_effective,
    disbursedFen: Number(r.disbursed_fen),
  };
}

/** The place's own row: sums, and incidence only when every village's population is known. */
function total(code: string, name: string, rows: ReportRowT[]): ReportRowT {
  const sum = (f: (r: ReportRowT) => number) => rows.reduce((n, r) => n + f(r), 0);
  const population = rows.length > 0 && rows.every((r) => r.population !== null) ? sum((r) => r.population ?? 0) : null;
  const enrolledHouseholds = sum((r) => r.enrolledHouseholds);
  const enrolledPeople = sum((r) => r.enrolledPeople);
  const paired = sum((r) => r.paired);
  return {
    jurisdiction: code,
    name: `${name} 合计 (total)`,
    population,
    enrolledHouseholds,
    enrolledPeople,
    incidence: share(enrolledPeople, population),
    casesOpened: sum((r) => r.casesOpened),
    householdsEnrolled: sum((r) => r.householdsEnrolled),
    householdsExited: sum((r) => r.householdsExited),
    openOverdue: sum((r) => r.openOverdue),
    paired,
    coverage: share(paired, enrolledHouseholds),
    visits: sum((r) => r.visits),
    lostContact: sum((r) => r.lostContact),
    plansEffective: sum((r) => r.plansEffective),
    disbursedFen: sum((r) => r.disbursedFen),
  };
}
