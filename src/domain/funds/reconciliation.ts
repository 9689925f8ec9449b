/**
 * Daily reconciliation of a fund's payouts against its bank statement (issue #4 item 4): pure
 * rules, no I/O. Both sides are keyed by the payment's idempotency key, which is the
 * disbursement id on our side and the key the bank deduplicated on.
 */
import { assertNever } from '../errors';

export const MISMATCH_KINDS = ['missing_in_bank', 'missing_in_books', 'duplicate', 'amount_differs'] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/** A payout our books record as paid on the day. */
export interface BookedPayout {
  key: string;
  amountFen: number;
  paymentId: string;
}

/** A settled line of the bank's statement for the day (account numbers already masked). */
export interface BankLine {
  key: string;
  amountFen: number;
  paymentId: string;
  toAccountMasked: string;
}

export interface Mismatch {
  kind: MismatchKind;
  key: string;
  /** What our books say, if they know the key. */
  booksAmountFen: number | null;
  /** Every bank line under the key, in statement order. */
  bankAmountsFen: number[];
  bankPaymentIds: string[];
  toAccountsMasked: string[];
}

export interface Comparison {
  matched: number;
  /** Sorted by key, then kind: the same inputs always give the same list. */
  mismatches: Mismatch[];
}

/** One day's reconciliation of one fund, as its workflow returns it (and POST /funds/{id}/reconciliations answers). */
export interface ReconciliationResult {
  fundId: string;
  date: string;
  matched: number;
  /** The day's findings (each also an open task until a later run no longer finds it), masked accounts only. */
  mismatches: Mismatch[];
  bankLines: number;
  bookedPayouts: number;
  /** When the outcome was recorded: a re-run with the same outcome returns the same time. */
  reconciledAt: string;
}

/** The id of a mismatch within its day's reconciliation: the same finding on a re-run has the same id. */
export const mismatchId = (m: { kind: MismatchKind; key: string }) => `${m.kind}:${m.key}`;

/**
 * One key, one line, one amount: matched. Otherwise exactly one mismatch per key: no line for a
 * booked payout is `missing_in_bank`; a line we have not booked is `missing_in_books` (however
 * many lines); two or more lines for a booked payout are `duplicate`; one line with another
 * amount is `amount_differs`.
 */
export function compareStatement(books: BookedPayout[], bank: BankLine[]): Comparison {
  const booked = new Map<string, BookedPayout>();
  for (const b of books) {
    if (booked.has(b.key)) throw new Error(`the books list payout ${b.key} twice`);
    booked.set(b.key, b);
  }
  const lines = new Map<string, BankLine[]>();
  for (const l of bank) lines.set(l.key, [...(lines.get(l.key) ?? []), l]);

  let matched = 0;
  const mismatches: Mismatch[] = [];
  const keys = [...new Set([...booked.keys(), ...lines.keys()])].sort();
  for (const key of keys) {
    const b = booked.get(key);
    const ls = lines.get(key) ?? [];
    const kind = classify(b, ls);
    if (!kind) {
      matched++;
      continue;
    }
    mismatches.push({
      kind,
      key,
      booksAmountFen: b?.amountFen ?? null,
      bankAmountsFen: ls.map((l) => l.amountFen),
      bankPaymentIds: ls.map((l) => l.paymentId),
      toAccountsMasked: ls.map((l) => l.toAccountMasked),
    });
  }
  return { matched, mismatches };
}

function classify(b: BookedPayout | undefined, ls: BankLine[]): MismatchKind | undefined {
  if (!b) return 'missing_in_books';
  if (ls.length === 0) return 'missing_in_bank';
  if (ls.length > 1) return 'duplicate';
  return ls[0].amountFen === b.amountFen ? undefined : 'amount_differs';
}

/** What a fund manager is asked to do about each kind (the task's wording). */
export function mismatchAdvice(kind: MismatchKind): string {
  switch (kind) {
    case 'missing_in_bank':
      return 'our books record a payout the bank statement does not show: ask the bank';
    case 'missing_in_books':
      return "the bank paid from the fund's account something our books do not record: find out who ordered it";
    case 'duplicate':
      return 'the bank shows more than one payment for one payout: ask the bank to reverse the extra';
    case 'amount_differs':
      return 'the bank paid another amount than our books record';
    default:
      return assertNever(kind);
  }
}
