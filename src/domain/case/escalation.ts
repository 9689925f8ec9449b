/**
 * Issue #13, escalation: a human decision past its time limit is first reminded, then, after
 * each further interval, escalated one level up (village → town → county) as a follow-up task
 * there. The workflow's durable timers ask for each step at its time; the rules of when and
 * where are here. A case's step is due `stageTimeLimit` after it was entered (StageEntered's
 * dueAt); `escalateAfter` (CasePolicy, from the jurisdiction settings) spaces the steps.
 */
import { DomainError } from '../errors';
import { reassignment, type ReassignTaskCommand } from '../task-reassignment';
import { durationMs } from '../time';
import { isDecisionStage, type DecisionStage, type Stage } from './stages';
import type { CaseEvent, CaseState } from './types';

export const ESCALATION_LEVELS = ['town', 'county'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/** For cases whose policy predates escalation. */
export const ESCALATE_AFTER_DEFAULT = 'P3D';

/** Who decides each stage sits at this level; a step goes up to the levels above it. */
const STAGE_LEVEL: Record<DecisionStage, 'village' | 'town' | 'county'> = {
  village_evaluation: 'village',
  town_audit: 'town',
  exit_verification: 'town',
  county_approval: 'county',
};

export function levelsAbove(stage: Stage): EscalationLevel[] {
  if (!isDecisionStage(stage)) return [];
  const level = STAGE_LEVEL[stage];
  return level === 'village' ? ['town', 'county'] : level === 'town' ? ['county'] : [];
}

export interface EscalationState {
  reminded: boolean;
  level?: EscalationLevel;
}

/** The next escalation step of the case's current stage and when it falls due, if any. */
export function nextEscalationStep(s: CaseState): { step: 'Remind' | 'Escalate'; at: string } | undefined {
  if (s.status !== 'open' || !isDecisionStage(s.stage) || !s.stageDueAt) return undefined;
  const e = s.escalation ?? { reminded: false };
  if (!e.reminded) return { step: 'Remind', at: s.stageDueAt };
  const above = levelsAbove(s.stage);
  const done = e.level ? above.indexOf(e.level) + 1 : 0;
  if (done >= above.length) return undefined;
  const after = durationMs(s.policy.escalateAfter ?? ESCALATE_AFTER_DEFAULT);
  return { step: 'Escalate', at: new Date(Date.parse(s.stageDueAt) + after * (done + 1)).toISOString() };
}

/** The jurisdiction code of a level above the case's village. */
export function codeAt(level: EscalationLevel, s: CaseState): string {
  return level === 'town' ? s.location.town : s.location.county;
}

/**
 * Remind or Escalate at `at`: the events, or none when the step is not (or no longer) due, e.g.
 * the decision landed as the timer fired. Never an error for a timer that lost a race.
 */
export function decideEscalation(step: 'Remind' | 'Escalate', at: string, s: CaseState): CaseEvent[] {
  const next = nextEscalationStep(s);
  if (!next || next.step !== step || Date.parse(at) < Date.parse(next.at)) return [];
  if (step === 'Remind') return [{ type: 'ReminderSent', data: { stage: s.stage, dueAt: s.stageDueAt as string } }];
  const above = levelsAbove(s.stage);
  const level = above[s.escalation?.level ? above.indexOf(s.escalation.level) + 1 : 0] as EscalationLevel;
  return [{ type: 'StepEscalated', data: { stage: s.stage, level, jurisdiction: codeAt(level, s) } }];
}

/** A supervisor gives the case's open task (a decision or an objection's) to someone else. */
export function decideReassign(c: Omit<ReassignTaskCommand, 'type'>, s: CaseState): CaseEvent[] {
  const data = reassignment(c, () => {
    if (!isDecisionStage(s.stage) && !s.objections.some((o) => o.status === 'open')) throw new DomainError('wrong_stage', 'the case waits for nobody now');
  });
  return [{ type: 'TaskReassigned', data }];
}

export const escalationDueIn = (s: CaseState, now: number): number | undefined => {
  const next = nextEscalationStep(s);
  return next ? Math.max(0, Date.parse(next.at) - now) : undefined;
};
