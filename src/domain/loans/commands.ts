/**
 * Commands of the three loan streams. Facts the deciders cannot see on their own stream (the
 * pool's cash, each household's enrolment and other loans, today's date, new ids) are looked up
 * by the caller and passed in: the deciders stay pure and deterministic.
 */
import type { Actor } from '../roles';
import type { ReassignTaskCommand } from '../task-reassignment';
import type { BatchHousehold, HardshipCause, RepaymentMethod, SignatureMethod } from './events';
import type { LoanTerms } from './terms';

export type SchemeCommand =
  | {
      type: 'CreateScheme';
      schemeId: string;
      name: string;
      fundId: string;
      county: string;
      eligibleVillages: string[];
      writeOffBarYears: number;
      terms: LoanTerms;
      actor: Actor;
    }
  | { type: 'ReviseTerms'; terms: LoanTerms; eligibleVillages: string[]; reason: string; actor: Actor }
  | {
      type: 'ProposeBatch';
      batchId: string;
      households: BatchHousehold[];
      /** Each proposed household's facts, looked up by the caller (one entry per household). */
      eligibility: HouseholdEligibility[];
      /** The pool's cash now: the fund's available balance (recovered money and contributions, never money owed). */
      poolCashFen: number;
      actor: Actor;
    }
  | { type: 'SettleBatch'; batchId: string; loansPaid: number; paidFen: number };

export interface HouseholdEligibility {
  householdId: string;
  enrolled: boolean;
  village: string;
  /** An open (not closed) loan of this scheme. */
  hasActiveLoan: boolean;
  /** The day a loan of this scheme was last written off for this household, if ever. */
  lastWriteOffOn?: string;
  /** Today, as 'YYYY-MM-DD' (to count the write-off bar's years). */
  today: string;
}

/** Why a household cannot be in a batch; the API names each household and each reason. */
export type IneligibleReason = 'not_enrolled' | 'village_not_eligible' | 'active_loan' | 'recent_write_off' | 'duplicate_in_batch';

export type BatchCommand =
  | {
      type: 'OpenBatch';
      batchId: string;
      schemeId: string;
      fundId: string;
      cycle: number;
      termsVersion: number;
      terms: LoanTerms;
      households: BatchHousehold[];
      publicityEndsAt: string;
      actor: Actor;
    }
  | { type: 'RaiseObjection'; objectionId: string; householdId: string; reason: string; now: string; actor: Actor }
  | { type: 'ResolveObjection'; objectionId: string; substantiated: boolean; finding: string; actor: Actor }
  | { type: 'EndPublicity'; now: string }
  | { type: 'SignAgreement'; householdId: string; method: SignatureMethod; agreementHash: string; scanHash?: string; now: string; actor: Actor }
  | { type: 'CloseSigning' }
  | { type: 'IssueLoan'; householdId: string; loanId: string; disbursementId: string }
  | { type: 'CompleteBatch'; loansPaid: number; paidFen: number; failed: string[] };

export type LoanCommand =
  | {
      type: 'OpenLoan';
      loanId: string;
      schemeId: string;
      batchId: string;
      fundId: string;
      household: BatchHousehold;
      terms: LoanTerms;
      termsVersion: number;
      disbursementId: string;
      /** The payout's settlement day, when already known: LoanDisbursed is then decided with LoanOpened. */
      paidOn?: string;
    }
  | { type: 'RecordDisbursed'; paidOn: string }
  | { type: 'CancelLoan'; reason: string }
  | {
      type: 'RecordRepayment';
      repaymentId: string;
      amountFen: number;
      method: Exclude<RepaymentMethod, 'in_kind'>;
      reference: string;
      receivedOn: string;
      actor: Actor;
    }
  | { type: 'ValueInKind'; valuationId: string; amountFen: number; description: string; receivedOn: string; actor: Actor }
  | { type: 'ConfirmInKind'; valuationId: string; repaymentId: string; actor: Actor }
  | { type: 'RejectInKind'; valuationId: string; reason: string; actor: Actor }
  /**
   * `secondOfficial`: the recorder of the repayment may not reverse it (a second official must),
   * as a valuation needs a second official to confirm it. Absent in loans' histories recorded
   * before that rule, which replay as they were decided.
   */
  | { type: 'ReverseRepayment'; repaymentId: string; reason: string; actor: Actor; secondOfficial?: boolean }
  | { type: 'IssueReminder'; instalment: number; today: string }
  /** From the loan workflow's timer (issue #13): `key` names the step (nextOverdueEscalation), `at` is now. */
  | { type: 'EscalateOverdue'; key: string; at: string; escalateAfter: string }
  /** A supervisor gives one of the loan's open tasks to another official (issue #13); who may receive it was checked against the directory. */
  | ReassignTaskCommand
  | {
      type: 'ReportHardship';
      hardshipId: string;
      cause: HardshipCause;
      evidenceHash?: string;
      proposal: 'deferral' | 'write_off';
      deferMonths?: number;
      note: string;
      actor: Actor;
    }
  | {
      type: 'DecideHardship';
      hardshipId: string;
      approve: boolean;
      reason: string;
      actor: Actor;
      /** Today (YYYY-MM-DD): the closing day of a loan the second approval writes off (else the loan's last known day). */
      today?: string;
    }
  | { type: 'Close'; today: string };
