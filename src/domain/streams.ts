/**
 * Every kind of stream in the event store and how its ids are formed: the one registry. The
 * type strings are stored in `streams.stream_type` and the ids in `events.stream_id`, so
 * neither may change; a new process adds its stream type here and its decider to
 * `stream-deciders.ts` (a test checks that each type has one).
 */
export const STREAM_TYPES = [
  'case',
  'fund',
  'disbursement',
  'reconciliation',
  'audit',
  'loan-scheme',
  'loan-batch',
  'loan',
  'user',
  'helper',
  'pairing',
  'help-plan',
  'review',
  'household',
] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

/** Named constants, so a typo is a compile error rather than a stream of a new type. */
export const STREAM_TYPE = {
  case: 'case',
  fund: 'fund',
  disbursement: 'disbursement',
  reconciliation: 'reconciliation',
  audit: 'audit',
  'loan-scheme': 'loan-scheme',
  'loan-batch': 'loan-batch',
  loan: 'loan',
  user: 'user',
  helper: 'helper',
  pairing: 'pairing',
  'help-plan': 'help-plan',
  review: 'review',
  household: 'household',
} as const satisfies { [T in StreamType]: T };

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Stream ids. A case, fund or disbursement stream is named by the entity's own id (which the
 * API mints with its prefix); a reconciliation by fund and UTC day (also the id of the day's
 * reconciliation workflow, so two requests for the same day share one run); the audit logs
 * by kind and UTC day; a loan scheme, batch or loan by its own id.
 */
export const STREAM_ID = {
  case: (caseId: string) => caseId,
  fund: (fundId: string) => fundId,
  disbursement: (disbursementId: string) => disbursementId,
  reconciliation: (fundId: string, date: string) => `recon-${fundId}-${date}`,
  accessDenials: (at: Date) => `audit-denials-${utcDay(at)}`,
  codecDecodes: (at: Date) => `audit-codec-${utcDay(at)}`,
  /** Revolving loans (issue #10): a scheme, a batch and a loan are named by their own ids (`scheme-…`, `batch-…`, `loan-…`). */
  scheme: (schemeId: string) => schemeId,
  batch: (batchId: string) => batchId,
  loan: (loanId: string) => loanId,
  /** A user's log-ins, lock-outs and administration (issue #12): `user-` and the user id. */
  user: (userId: string) => `user-${userId}`,
  /** Issue #13: a helper's profile, a household's pairing and visits, a household's help plan. */
  helper: (userId: string) => `helper-${userId}`,
  pairing: (householdId: string) => `pairing-${householdId}`,
  helpPlan: (householdId: string) => `plan-${householdId}`,
  /** A household's annual re-verification: `review-{householdId}-{year}` (its id is the review's). */
  review: (reviewId: string) => reviewId,
  /** A household's own record (its members moved in or out): `household-` and the household id. */
  household: (householdId: string) => `household-${householdId}`,
} as const;
