import type { Location } from '../jurisdiction';
import type { Actor } from '../roles';
import type { Household } from '../household';
import type { ReassignTaskCommand, Reassignment } from '../task-reassignment';
import type { ReferenceSource } from '../comparison/sources';
import type { Votes } from './appraisal';
import type { EscalationLevel, EscalationState } from './escalation';
import type { Decision, DecisionStage, Procedure, PublicityStage, Stage } from './stages';

export const CASE_STATUSES = ['open', 'enrolled', 'rejected', 'exited'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Per-case settings fixed when the case starts (defaults from config, per jurisdiction later). */
export interface CasePolicy {
  publicityPeriod: string;
  stageTimeLimit: string;
  /** Issue #13: after the time limit, a reminder; after each further interval, one level up. Absent in older cases (a default applies). */
  escalateAfter?: string;
}

// ---- commands: what someone asks the case to do. `at` is injected (workflow time). ----
export type CaseCommand =
  | {
      type: 'Submit';
      procedure?: Procedure;
      caseId: string;
      householdId: string;
      applicantId: string;
      location: Location;
      household: Household;
      householdHash: string;
      previousCaseId?: string;
      reason?: string;
      policy: CasePolicy;
      actor: Actor;
      at: string;
    }
  | { type: 'Decide'; stage: DecisionStage; decision: Decision; reason?: string; votes?: Votes; householdHash: string; actor: Actor; at: string }
  | {
      type: 'CorrectHousehold';
      household: Household;
      householdHash: string;
      reason: string;
      actor: Actor;
      at: string;
      /** Set only by a workflow replaying a correction decided before members were fixed (its history must replay as decided). */
      membersUnchecked?: true;
    }
  /** A member transfer recorded on the household's stream (src/domain/member-transfer.ts), brought into its open case. */
  | { type: 'RecordMemberTransfer'; transferId: string; idHash: string; household: Household; householdHash: string; reason: string; actor: Actor; at: string }
  | { type: 'LodgeObjection'; objectionId: string; grounds: string; actor: Actor; at: string }
  | { type: 'ResolveObjection'; objectionId: string; substantiated: boolean; finding: string; outcome?: 'reexamine' | 'reject'; actor: Actor; at: string }
  | { type: 'EndPublicity'; at: string }
  /** From the workflow's escalation timer (issue #13). */
  | { type: 'Remind'; at: string }
  | { type: 'Escalate'; at: string }
  | (ReassignTaskCommand & { at: string })
  /** From a reference list's comparison (a list imported, or the case reaching town audit). */
  | { type: 'RaiseQueries'; hits: ComparisonHit[]; at: string }
  | { type: 'ResolveQuery'; queryId: string; outcome: QueryOutcome; reason: string; actor: Actor; at: string };

// ---- events: what happened. Each is appended to the case's stream. ----
export type CaseEvent =
  | {
      type: 'ApplicationSubmitted';
      data: {
        caseId: string;
        householdId: string;
        applicantId: string;
        location: Location;
        household: Household;
        householdHash: string;
        previousCaseId?: string;
        policy: CasePolicy;
      };
    }
  | {
      type: 'ExitProposed';
      data: {
        caseId: string;
        householdId: string;
        proposedBy: string;
        location: Location;
        household: Household;
        householdHash: string;
        previousCaseId?: string;
        reason: string;
        policy: CasePolicy;
      };
    }
  | { type: 'StageEntered'; data: { stage: Stage; enteredAt: string; dueAt?: string } }
  | { type: 'StageDecided'; data: { stage: DecisionStage; decision: Decision; reason?: string; votes?: Votes; householdHash: string; decidedBy: string } }
  | { type: 'AppraisalInvalid'; data: { votes: Votes; why: string; decidedBy: string } }
  /** transferId: the member transfer that changed the household, when one did. */
  | { type: 'HouseholdCorrected'; data: { household: Household; householdHash: string; reason: string; transferId?: string } }
  | { type: 'ObjectionLodged'; data: { objectionId: string; stage: PublicityStage; grounds: string; lodgedBy: string } }
  | {
      type: 'ObjectionResolved';
      data: { objectionId: string; substantiated: boolean; finding: string; outcome: 'proceed' | 'reexamine' | 'reject'; resolvedBy: string };
    }
  | { type: 'PublicityEnded'; data: { stage: PublicityStage; heldByObjections: number } }
  | { type: 'CaseReturned'; data: { from: Stage; to: DecisionStage; reason: string } }
  | { type: 'CaseAnnounced'; data: { announcedAt: string } }
  | { type: 'HouseholdEnrolled'; data: { householdId: string } }
  | { type: 'HouseholdExited'; data: { householdId: string } }
  | { type: 'CaseRejected'; data: { stage: Stage; reason: string } }
  /** The step passed its time limit: its holder (or, while nobody holds it, its place) is reminded. */
  | { type: 'ReminderSent'; data: { stage: Stage; dueAt: string } }
  /** The step went up a level: a follow-up task for that level's officials. */
  | { type: 'StepEscalated'; data: { stage: Stage; level: EscalationLevel; jurisdiction: string } }
  | { type: 'TaskReassigned'; data: Reassignment }
  | {
      type: 'ComparisonQueryRaised';
      /** memberIdHash: the member's keyed ID hash, as the household in the same stream holds it (a correction may move its index). */
      data: { queryId: string; source: ReferenceSource; listId: string; listDate: string; memberIndex: number; memberIdHash?: string };
    }
  | { type: 'ComparisonQueryResolved'; data: { queryId: string; outcome: QueryOutcome; reason: string; resolvedBy: string } };

export type CaseEventType = CaseEvent['type'];

export interface Objection {
  objectionId: string;
  stage: PublicityStage;
  status: 'open' | 'substantiated' | 'unsubstantiated' | 'superseded';
}

/**
 * A member of the household found on another department's list (a reference list): a query
 * (疑点) the town settles. `queryId` comes from the case, list and member, so one hit is one
 * query however often the comparison runs.
 */
export interface ComparisonHit {
  queryId: string;
  source: ReferenceSource;
  listId: string;
  listDate: string;
  /** The member's keyed ID hash (never the number). */
  memberIdHash: string;
}

/** cleared: the hit is not this household's concern (a namesake, a car sold); confirmed: the household is not eligible. */
export type QueryOutcome = 'cleared' | 'confirmed';

export interface ComparisonQuery {
  queryId: string;
  source: ReferenceSource;
  listId: string;
  listDate: string;
  memberIndex: number;
  memberIdHash?: string;
  raisedAtVersion: number;
  status: 'open' | QueryOutcome;
  /** The town's reason, once settled. */
  reason?: string;
}

export interface CaseState {
  caseId: string;
  procedure: Procedure;
  householdId: string;
  applicantId: string;
  location: Location;
  household: Household;
  householdHash: string;
  policy: CasePolicy;
  previousCaseId?: string;
  status: CaseStatus;
  stage: Stage;
  stageEnteredAt: string;
  stageDueAt?: string;
  /** While a publicity period's time has run out but objections still hold the case. */
  publicityEnded: boolean;
  /** Who decided each stage (separation of duties: nobody decides two stages of one case). */
  deciders: Partial<Record<DecisionStage, string[]>>;
  objections: Objection[];
  /** Comparison queries; absent in states folded before there were any. */
  queries?: ComparisonQuery[];
  reason?: string;
  /** Issue #13: how far the current stage's step has been reminded and escalated (reset on entering a stage). */
  escalation?: EscalationState;
  /** Number of events in the case's stream. */
  version: number;
}
