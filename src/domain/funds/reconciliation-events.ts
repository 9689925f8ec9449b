/**
 * The events of a reconciliation stream (one per fund and UTC day, `STREAM_ID.reconciliation`),
 * and the state they fold into. A finding is recorded once; a later run that no longer sees
 * it clears it (after a correction at the bank or in our books); a run whose outcome differs
 * from the last recorded one records a completion. A re-run with the same outcome adds nothing.
 */
import type { Recorded, StreamDecider } from '../decider';
import { assertNever } from '../errors';
import { STREAM_TYPE } from '../streams';
import { mismatchId, type Mismatch, type MismatchKind } from './reconciliation';

export interface ReconciliationOutcome {
  fundId: string;
  date: string;
  matched: number;
  /** Findings still open after this run. */
  mismatches: number;
  bankLines: number;
  bookedPayouts: number;
}

export type ReconciliationEvent =
  | { type: 'MismatchFound'; data: { fundId: string; date: string; mismatchId: string; round: number } & Mismatch }
  | { type: 'MismatchCleared'; data: { fundId: string; date: string; mismatchId: string; kind: MismatchKind; key: string; round: number } }
  | { type: 'ReconciliationCompleted'; data: ReconciliationOutcome };

export interface ReconciliationState {
  /** Open findings by mismatch id, with the round they were found in (a finding may come back after being cleared). */
  open: Map<string, Mismatch & { round: number }>;
  /** How many times each finding has been recorded, so a returning one gets a fresh idempotency key. */
  rounds: Map<string, number>;
  last?: ReconciliationOutcome;
  lastAt?: string;
}

export function emptyReconciliation(): ReconciliationState {
  return { open: new Map(), rounds: new Map() };
}

/** `recorded` dates the last completion; a completion folded before it is stored has no date yet. */
export function evolveReconciliation(s: ReconciliationState, e: ReconciliationEvent, recorded?: Recorded): ReconciliationState {
  switch (e.type) {
    case 'MismatchFound': {
      const { mismatchId: id, round, kind, key, booksAmountFen, bankAmountsFen, bankPaymentIds, toAccountsMasked } = e.data;
      const m = { kind, key, booksAmountFen, bankAmountsFen, bankPaymentIds, toAccountsMasked, round };
      return { ...s, open: new Map(s.open).set(id, m), rounds: new Map(s.rounds).set(id, round) };
    }
    case 'MismatchCleared': {
      const open = new Map(s.open);
      open.delete(e.data.mismatchId);
      return { ...s, open };
    }
    case 'ReconciliationCompleted':
      return { ...s, last: e.data, lastAt: recorded?.recordedAt };
    default:
      return assertNever(e);
  }
}

/** The events one run adds, given what the stream already holds and what the run found. */
export function reconciliationEvents(
  s: ReconciliationState,
  found: { matched: number; mismatches: Mismatch[] },
  counts: { fundId: string; date: string; bankLines: number; bookedPayouts: number },
): ReconciliationEvent[] {
  const { fundId, date } = counts;
  const now = new Map(found.mismatches.map((m) => [mismatchId(m), m]));
  const events: ReconciliationEvent[] = [];
  for (const [id, m] of now) {
    if (s.open.has(id)) continue;
    events.push({ type: 'MismatchFound', data: { fundId, date, mismatchId: id, round: (s.rounds.get(id) ?? 0) + 1, ...m } });
  }
  for (const [id, m] of s.open) {
    if (!now.has(id)) events.push({ type: 'MismatchCleared', data: { fundId, date, mismatchId: id, kind: m.kind, key: m.key, round: m.round } });
  }
  const outcome: ReconciliationOutcome = {
    fundId,
    date,
    matched: found.matched,
    mismatches: now.size,
    bankLines: counts.bankLines,
    bookedPayouts: counts.bookedPayouts,
  };
  const same = s.last && (Object.keys(outcome) as (keyof ReconciliationOutcome)[]).every((k) => s.last?.[k] === outcome[k]);
  if (events.length > 0 || !same) events.push({ type: 'ReconciliationCompleted', data: outcome });
  return events;
}

/** One run of the day's reconciliation: what the comparison found, and how much it compared. */
export interface RecordRun {
  type: 'RecordRun';
  found: { matched: number; mismatches: Mismatch[] };
  counts: { fundId: string; date: string; bankLines: number; bookedPayouts: number };
}

export const reconciliationDecider: StreamDecider<ReconciliationState, RecordRun, ReconciliationEvent> = {
  streamType: STREAM_TYPE.reconciliation,
  decide: (c, s) => reconciliationEvents(s, c.found, c.counts),
  evolve: evolveReconciliation,
  initialState: emptyReconciliation,
};

/**
 * Derived from fund, day, key and kind (and the round, for a finding that comes back after
 * being cleared), so a re-run can never record the same finding twice; the store refuses it.
 */
export function reconciliationEventKey(e: ReconciliationEvent, versionAfter: number): string {
  switch (e.type) {
    case 'MismatchFound':
      return `recon:${e.data.fundId}:${e.data.date}:${e.data.key}:${e.data.kind}${e.data.round > 1 ? `:${e.data.round}` : ''}`;
    case 'MismatchCleared':
      return `recon:${e.data.fundId}:${e.data.date}:${e.data.key}:${e.data.kind}:cleared${e.data.round > 1 ? `:${e.data.round}` : ''}`;
    // A completion is one per outcome change: keyed by its place in the stream (appended at an expected version).
    case 'ReconciliationCompleted':
      return `recon:${e.data.fundId}:${e.data.date}:completed#${versionAfter}`;
    default:
      return assertNever(e);
  }
}
