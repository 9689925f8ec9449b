/**
 * Issue #13 for loans: the village is reminded before each due day (ReminderIssued, its task
 * the village official's). An instalment that was reminded and is still unpaid once its grace
 * days are over is late; `escalateAfter` into the lateness it goes up to the town, and as much
 * again later to the county, each a RepaymentEscalated event and a follow-up task at that level.
 * The loan's workflow asks for each step on a durable timer; when and whether one is due is here.
 */
import { durationMs } from '../time';
import { addDays } from './calendar';
import type { LoanEvent } from './events';
import type { LoanState } from './loan';
import { unpaidParts } from './schedule';

export const OVERDUE_LEVELS = ['town', 'county'] as const;
export type OverdueLevel = (typeof OVERDUE_LEVELS)[number];

export interface OverdueStep {
  instalment: number;
  dueDate: string;
  level: OverdueLevel;
  /** When it falls due (ISO time). */
  at: string;
  /** Names the step (instalment, due day, level). */
  key: string;
}

/**
 * The next escalation of the earliest reminded, late and unpaid instalment: to the town
 * `escalateAfter` after its grace days ended, to the county as much again after that.
 */
export function nextOverdueEscalation(s: LoanState, escalateAfter: string): OverdueStep | undefined {
  if (s.status !== 'active' || !s.paidOn) return undefined;
  const after = durationMs(escalateAfter);
  for (const i of unpaidParts(s.schedule, s.repaidFen + s.writtenOffFen)) {
    if (i.unpaidFen === 0) continue;
    const reminded = (s.reminders ?? []).some((r) => r.instalment === i.n && r.dueDate === i.dueDate);
    if (!reminded) return undefined; // the earliest unpaid one is not even reminded yet
    const done = (s.overdueEscalations ?? []).filter((e) => e.instalment === i.n && e.dueDate === i.dueDate).length;
    if (done >= OVERDUE_LEVELS.length) return undefined;
    const level = OVERDUE_LEVELS[done];
    const lateFrom = Date.parse(`${addDays(i.dueDate, s.graceDays + 1)}T00:00:00Z`);
    return { instalment: i.n, dueDate: i.dueDate, level, at: new Date(lateFrom + after * (done + 1)).toISOString(), key: `${i.n}@${i.dueDate}:${level}` };
  }
  return undefined;
}

/** The timer's step, decided on the loan as it is now: nothing if it is no longer (or not yet) due. */
export function decideOverdueEscalation(c: { key: string; at: string; escalateAfter: string }, s: LoanState): LoanEvent[] {
  const next = nextOverdueEscalation(s, c.escalateAfter);
  if (!next || next.key !== c.key || Date.parse(c.at) < Date.parse(next.at)) return [];
  const owed = unpaidParts(s.schedule, s.repaidFen + s.writtenOffFen)
    .filter((i) => i.dueDate <= next.dueDate)
    .reduce((sum, i) => sum + i.unpaidFen, 0);
  const jurisdiction = next.level === 'town' ? s.location.town : s.location.county;
  return [{ type: 'RepaymentEscalated', data: { instalment: next.instalment, dueDate: next.dueDate, level: next.level, jurisdiction, owedFen: owed } }];
}
