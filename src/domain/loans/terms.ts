/**
 * A revolving scheme's terms: what one loan is, when it falls due, how late counts as late.
 * A scheme's terms are versioned; a batch pins the version it was proposed under and every
 * loan of it keeps that version for life (later revisions apply to new batches only).
 */

/** When an instalment falls due. */
export type DueRule =
  /** A calendar day, `yearOffset` years after the payout's year (0: 31 December of the payout year). */
  | { kind: 'date'; month: number; day: number; yearOffset: number }
  /** So many whole months after the payout day. */
  | { kind: 'months'; months: number };

export interface Instalment {
  /** Share of the principal in basis points (5000 = 50%); the shares of a plan add up to 10000. */
  shareBp: number;
  due: DueRule;
}

export interface Agreement {
  version: number;
  /** The agreement's text as signed (Chinese first); its hash is pinned to every signature. */
  text: string;
  /** sha256 hex of the text, computed by the decider's caller and checked against it. */
  hash: string;
}

export interface LoanTerms {
  /** The principal of one loan, integer fen (seed: 110,000 fen = 1,100 yuan). */
  amountFen: number;
  instalments: Instalment[];
  /** Days after a due date before an unpaid instalment counts as past due. */
  graceDays: number;
  inKindAllowed: boolean;
  agreement: Agreement;
}

/** The seed scheme's plan: 50% by 31 December of the payout year, the rest a year later. */
export const SEED_INSTALMENTS: Instalment[] = [
  { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 0 } },
  { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 1 } },
];

/** One scheduled instalment of one loan: its number (1-based), due day (YYYY-MM-DD) and amount. */
export interface ScheduledInstalment {
  n: number;
  dueDate: string;
  amountFen: number;
}

export const DELINQUENCY_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type DelinquencyBucket = (typeof DELINQUENCY_BUCKETS)[number];
