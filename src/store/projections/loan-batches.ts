import type { PoolClient } from 'pg';
import { assertNever } from '../../domain/errors';
import type { Location } from '../../domain/jurisdiction';
import type { BatchEvent, SignatureMethod } from '../../domain/loans/events';
import type { LoanTerms } from '../../domain/loans/terms';
import type { Projector } from '../types';
import { LOAN_STREAM } from './loan-streams';
import { syncOpenTask, versionedTaskId, type WantedTask } from './tasks';

export type BatchStatus = 'publicity' | 'signing' | 'paying' | 'completed';
/** As the domain's batch, and `paid` once the batch completed with the household's loan paid. */
export type BatchHouseholdStatus = 'proposed' | 'removed' | 'signed' | 'unsigned' | 'issued' | 'paid' | 'failed';

/** One cycle's batch as the read model holds it (the `state` of its row). */
export interface LoanBatchRowState {
  batchId: string;
  schemeId: string;
  fundId: string;
  cycle: number;
  termsVersion: number;
  terms: LoanTerms;
  status: BatchStatus;
  publicityEndsAt: string;
  proposedBy: string;
  households: {
    householdId: string;
    location: Location;
    status: BatchHouseholdStatus;
    loanId?: string;
    disbursementId?: string;
    signature?: { method: SignatureMethod; signedBy: string; agreementHash: string; scanHash?: string; signedAt: string };
  }[];
  objections: { objectionId: string; householdId: string; raisedBy: string; reason: string; resolved: boolean; substantiated?: boolean; finding?: string }[];
  loansPaid: number;
  paidFen: number;
  version: number;
}

/** The batch read model's fold: one batch event applied to the row's state. */
export function applyBatchEvent(s: LoanBatchRowState | undefined, e: BatchEvent): LoanBatchRowState {
  if (e.type === 'BatchOpened') {
    const { households, ...d } = e.data;
    return {
      ...d,
      status: 'publicity',
      households: households.map((h) => ({ householdId: h.householdId, location: h.location, status: 'proposed' })),
      objections: [],
      loansPaid: 0,
      paidFen: 0,
      version: 1,
    };
  }
  if (!s) throw new Error(`${e.type} before BatchOpened`);
  const n: LoanBatchRowState = { ...s, version: s.version + 1 };
  const household = (householdId: string, change: (h: LoanBatchRowState['households'][number]) => LoanBatchRowState['households'][number]) =>
    s.households.map((h) => (h.householdId === householdId ? change(h) : h));
  switch (e.type) {
    case 'BatchObjectionRaised':
      return { ...n, objections: [...s.objections, { ...e.data, resolved: false }] };
    case 'BatchObjectionResolved': {
      const { objectionId, householdId, substantiated, finding } = e.data;
      return {
        ...n,
        objections: s.objections.map((o) => (o.objectionId === objectionId ? { ...o, resolved: true, substantiated, finding } : o)),
        // A substantiated objection takes the household out of the batch.
        households: substantiated ? household(householdId, (h) => ({ ...h, status: 'removed' })) : s.households,
      };
    }
    case 'BatchPublicityEnded':
      return { ...n, status: 'signing' };
    case 'AgreementSigned': {
      const { householdId, ...signature } = e.data;
      return { ...n, households: household(householdId, (h) => ({ ...h, status: 'signed', signature })) };
    }
    case 'SigningClosed': {
      const unsigned = new Set(e.data.unsigned);
      return { ...n, status: 'paying', households: s.households.map((h) => (unsigned.has(h.householdId) ? { ...h, status: 'unsigned' } : h)) };
    }
    case 'LoanIssued':
      return {
        ...n,
        households: household(e.data.householdId, (h) => ({ ...h, status: 'issued', loanId: e.data.loanId, disbursementId: e.data.disbursementId })),
      };
    case 'BatchCompleted': {
      // `failed` names households (or their loans) whose payout failed; every other issued loan was paid.
      const failed = new Set(e.data.failed);
      const settle = (h: LoanBatchRowState['households'][number]) => {
        if (failed.has(h.householdId) || (h.loanId && failed.has(h.loanId))) return { ...h, status: 'failed' as const };
        return h.status === 'issued' ? { ...h, status: 'paid' as const } : h;
      };
      return { ...n, status: 'completed', loansPaid: e.data.loansPaid, paidFen: e.data.paidFen, households: s.households.map(settle) };
    }
    default:
      return assertNever(e);
  }
}

/** The batches read model and its households, in the append's transaction. */
export const loanBatchProjector: Projector = async (tx, streamType, events) => {
  if (streamType !== LOAN_STREAM.batch) return;
  const batchId = events[0].streamId;
  const before = (await tx.query<{ state: LoanBatchRowState | null }>('SELECT state FROM loan_batches WHERE batch_id = $1 FOR UPDATE', [batchId])).rows[0]
    ?.state;
  const s = events.reduce<LoanBatchRowState | undefined>((st, e) => applyBatchEvent(st, { type: e.type, data: e.data } as BatchEvent), before ?? undefined);
  if (!s) return;
  const last = events[events.length - 1];
  await writeBatch(tx, s, last.recordedAt);
  await syncBatchTasks(tx, before ?? undefined, s, last.recordedAt);
};

/**
 * The people a batch waits for, by task subject: while the list is publicised, the household's
 * village or town official for each open objection; while agreements are signed, each village's
 * official for its households still unsigned (a paper signature to attest, or a reminder to
 * sign in person).
 */
export function wantedBatchTasks(s: LoanBatchRowState): Map<string, Omit<WantedTask, 'taskId'>> {
  const wanted = new Map<string, Omit<WantedTask, 'taskId'>>();
  const village = new Map(s.households.map((h) => [h.householdId, h.location.village]));
  if (s.status === 'publicity') {
    for (const o of s.objections.filter((x) => !x.resolved)) {
      wanted.set(`${s.batchId}/objection:${o.objectionId}`, {
        kind: 'objections',
        step: 'batch_objection',
        roles: ['village_official', 'town_official'],
        jurisdiction: village.get(o.householdId) ?? s.households[0].location.county,
        householdHash: '',
        round: '0',
        dueAt: s.publicityEndsAt,
      });
    }
  }
  if (s.status === 'signing') {
    const unsignedVillages = new Set(s.households.filter((h) => h.status === 'proposed').map((h) => h.location.village));
    for (const v of [...unsignedVillages].sort()) {
      wanted.set(`${s.batchId}/signatures:${v}`, {
        kind: 'decision',
        step: 'batch_signatures',
        roles: ['village_official'],
        jurisdiction: v,
        householdHash: '',
        round: '0',
      });
    }
  }
  return wanted;
}

/** Opens and closes the batch's tasks whose wanted task changed; ids as the loans' tasks (`task-{uuid}-{v × 100 + i}`). */
async function syncBatchTasks(tx: PoolClient, before: LoanBatchRowState | undefined, after: LoanBatchRowState, at: string): Promise<void> {
  const was = before ? wantedBatchTasks(before) : new Map<string, Omit<WantedTask, 'taskId'>>();
  const now = wantedBatchTasks(after);
  let i = 0;
  for (const subjectId of new Set([...was.keys(), ...now.keys()])) {
    const want = now.get(subjectId);
    if (JSON.stringify(want) === JSON.stringify(was.get(subjectId))) continue;
    const taskId = versionedTaskId(after.batchId, after.version * 100 + i++);
    await syncOpenTask(tx, { kind: 'loan-batch', id: subjectId }, want && { ...want, taskId }, at);
  }
}

async function writeBatch(tx: PoolClient, s: LoanBatchRowState, at: string): Promise<void> {
  const households = s.households.filter((h) => h.status !== 'removed').length;
  await tx.query(
    `INSERT INTO loan_batches (batch_id, scheme_id, cycle, terms_version, status, households, publicity_ends_at, loans_paid, paid_fen, state, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (batch_id) DO UPDATE SET status = EXCLUDED.status, households = EXCLUDED.households, publicity_ends_at = EXCLUDED.publicity_ends_at,
       loans_paid = EXCLUDED.loans_paid, paid_fen = EXCLUDED.paid_fen, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [s.batchId, s.schemeId, s.cycle, s.termsVersion, s.status, households, s.publicityEndsAt, s.loansPaid, s.paidFen, s, at],
  );
  // One statement for the whole list: a batch has dozens of households and each signature rewrites it.
  const hs = s.households;
  await tx.query(
    `INSERT INTO loan_batch_households (batch_id, household_id, village, town, county, status, loan_id)
     SELECT $1, h.household_id, h.village, h.town, h.county, h.status, h.loan_id
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS h(household_id, village, town, county, status, loan_id)
     ON CONFLICT (batch_id, household_id) DO UPDATE SET status = EXCLUDED.status, loan_id = EXCLUDED.loan_id`,
    [
      s.batchId,
      hs.map((h) => h.householdId),
      hs.map((h) => h.location.village),
      hs.map((h) => h.location.town),
      hs.map((h) => h.location.county),
      hs.map((h) => h.status),
      hs.map((h) => h.loanId ?? null),
    ],
  );
}
