/**
 * The events of the three loan streams. Stored as they are: names and fields may be added to,
 * never renamed. Money is integer fen; days are 'YYYY-MM-DD' (the scheme's local calendar, UTC
 * in this engine); times are ISO 8601 UTC.
 *
 * - `loan-scheme` (id `scheme-…`): the scheme, its terms versions, and the cash each open batch
 *   has claimed (so that two batches proposed at once never count the same cash twice).
 * - `loan-batch` (id `batch-…`): one cycle's households: proposal, publicity with objections,
 *   signatures, one loan per signed household, then done.
 * - `loan` (id `loan-…`): one household's loan for its whole life.
 *
 * The pool is the scheme's special fund: its cash moves on the fund's own stream (the loan
 * payout is a disbursement, purpose `loan_principal`; repayments and write-offs are fund events
 * `Recovered`, `RecoveryReversed`, `WrittenOff` in ../funds/fund-events.ts).
 */
import type { Location } from '../jurisdiction';
import type { Reassignment } from '../task-reassignment';
import type { Instalment, LoanTerms, ScheduledInstalment } from './terms';

export type SchemeEvent =
  | {
      type: 'SchemeCreated';
      data: {
        schemeId: string;
        name: string;
        /** The pool: a special fund of the same county. */
        fundId: string;
        /** The county code that runs the scheme. */
        county: string;
        eligibleVillages: string[];
        /** A household with a loan of this scheme written off within so many years is not eligible. */
        writeOffBarYears: number;
        terms: LoanTerms;
        createdBy: string;
      };
    }
  /** New terms for batches proposed from now on; loans already made keep theirs. */
  | { type: 'TermsRevised'; data: { termsVersion: number; terms: LoanTerms; eligibleVillages: string[]; revisedBy: string; reason: string } }
  /** A batch claims `claimFen` of the pool's cash until it is done (count × amount at the batch's terms). */
  | {
      type: 'BatchProposed';
      data: {
        batchId: string;
        cycle: number;
        termsVersion: number;
        households: number;
        claimFen: number;
        proposedBy: string;
        /** The households proposed (added by the decider: no household is in two open batches at once). */
        householdIds?: string[];
      };
    }
  /** The batch ended: its claim is released (the loans actually paid now show in the fund's cash). */
  | { type: 'BatchSettled'; data: { batchId: string; loansPaid: number; paidFen: number } };

export interface BatchHousehold {
  householdId: string;
  location: Location;
}

export type SignatureMethod = 'in_person' | 'attested';

export type BatchEvent =
  | {
      type: 'BatchOpened';
      data: {
        batchId: string;
        schemeId: string;
        fundId: string;
        cycle: number;
        termsVersion: number;
        terms: LoanTerms;
        households: BatchHousehold[];
        publicityEndsAt: string;
        proposedBy: string;
      };
    }
  | { type: 'BatchObjectionRaised'; data: { objectionId: string; householdId: string; raisedBy: string; reason: string } }
  /** A substantiated objection takes the household out of the batch. */
  | { type: 'BatchObjectionResolved'; data: { objectionId: string; householdId: string; substantiated: boolean; finding: string; resolvedBy: string } }
  | { type: 'BatchPublicityEnded'; data: { households: number } }
  /**
   * The household signed the agreement whose hash is pinned: in person through its own account,
   * or on paper attested by a village official with the scan's hash.
   */
  | {
      type: 'AgreementSigned';
      data: { householdId: string; method: SignatureMethod; signedBy: string; agreementHash: string; scanHash?: string; signedAt: string };
    }
  /** Signing closed: households that did not sign by the deadline get no loan. */
  | { type: 'SigningClosed'; data: { signed: number; unsigned: string[] } }
  | { type: 'LoanIssued'; data: { householdId: string; loanId: string; disbursementId: string } }
  | { type: 'BatchCompleted'; data: { loansPaid: number; paidFen: number; failed: string[] } };

export const REPAYMENT_METHODS = ['cash', 'bank_transfer', 'in_kind'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

export const HARDSHIP_CAUSES = ['animal_died', 'illness', 'disaster'] as const;
export type HardshipCause = (typeof HARDSHIP_CAUSES)[number];

export type LoanEvent =
  | {
      type: 'LoanOpened';
      data: {
        loanId: string;
        schemeId: string;
        batchId: string;
        fundId: string;
        householdId: string;
        location: Location;
        principalFen: number;
        termsVersion: number;
        agreementHash: string;
        graceDays: number;
        inKindAllowed: boolean;
        disbursementId: string;
        /** The plan of the batch's terms, turned into the schedule once the payout day is known (added by the decider; absent in hand-built events). */
        instalments?: Instalment[];
      };
    }
  /** The payout settled: the schedule is fixed from the payout day. */
  | { type: 'LoanDisbursed'; data: { paidOn: string; schedule: ScheduledInstalment[] } }
  /** The payout failed: nothing is owed. */
  | { type: 'LoanCancelled'; data: { reason: string } }
  | {
      type: 'RepaymentRecorded';
      data: {
        repaymentId: string;
        amountFen: number;
        method: RepaymentMethod;
        /** Cash: the receipt number written on the paper receipt. Bank: the statement reference. */
        reference: string;
        receivedOn: string;
        recordedBy: string;
        /** In kind: what was handed over and who valued it (recorded only once a second official confirmed). */
        inKind?: { description: string; valuedBy: string; confirmedBy: string };
      };
    }
  /** In kind, step one: valued by one official; it counts once a different official confirms. */
  | { type: 'InKindValued'; data: { valuationId: string; amountFen: number; description: string; valuedBy: string; receivedOn: string } }
  | { type: 'InKindRejected'; data: { valuationId: string; rejectedBy: string; reason: string } }
  /** A mistaken repayment undone by a correcting entry (the original stays in the stream). */
  | { type: 'RepaymentReversed'; data: { repaymentId: string; amountFen: number; reason: string; reversedBy: string } }
  | { type: 'ReminderIssued'; data: { instalment: number; dueDate: string; outstandingFen: number } }
  /** A supervisor gave one of the loan's open tasks to another official (issue #13). */
  | { type: 'LoanTaskReassigned'; data: Reassignment }
  /** Issue #13: a reminded instalment still unpaid after its grace days went up a level (a follow-up task there). */
  | { type: 'RepaymentEscalated'; data: { instalment: number; dueDate: string; level: 'town' | 'county'; jurisdiction: string; owedFen: number } }
  | {
      type: 'HardshipReported';
      data: {
        hardshipId: string;
        cause: HardshipCause;
        /** sha256 of the veterinary certificate or other proof, when there is one. */
        evidenceHash?: string;
        proposal: 'deferral' | 'write_off';
        /** For a deferral: how many months every unpaid instalment moves. */
        deferMonths?: number;
        reportedBy: string;
        note: string;
      };
    }
  /** The town approved a deferral: unpaid instalments move; the new schedule is stated whole. */
  | { type: 'DeferralGranted'; data: { hardshipId: string; approvedBy: string; schedule: ScheduledInstalment[] } }
  | { type: 'HardshipRejected'; data: { hardshipId: string; rejectedBy: string; reason: string } }
  /** One of the two county officials a write-off needs. */
  | { type: 'WriteOffApproved'; data: { hardshipId: string; approvedBy: string } }
  /** The second county official approved: what was still owed leaves the receivable. */
  | { type: 'LoanWrittenOff'; data: { hardshipId: string; amountFen: number; approvers: [string, string] } }
  | { type: 'LoanClosed'; data: { closedOn: string; how: 'repaid' | 'written_off' } }
  /** A reversal on a repaid loan opens it again. */
  | { type: 'LoanReopened'; data: { reason: string } };
