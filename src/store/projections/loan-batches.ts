import type { PoolClient } from 'pg';
import { evolveBatch, type BatchHouseholdState, type BatchHouseholdStatus as DomainHouseholdStatus, type BatchState } from '../../domain/loans/batch';
import type { BatchEvent } from '../../domain/loans/events';
import { projectorOf } from '../projector';
import { LOAN_STREAM } from './loan-streams';
import { syncOpenTask, versionedTaskId, type WantedTask } from './tasks';

export type { BatchStatus } from '../../domain/loans/batch';
/** As the domain's batch, and `paid` once the batch completed with the household's loan paid. */
export type BatchHouseholdStatus = DomainHouseholdStatus | 'paid';

/** One cycle's batch as the read model holds it (the `state` of its row): the domain's, with `paid` households. */
export interface LoanBatchRowState extends Omit<BatchState, 'households'> {
  households: (Omit<BatchHouseholdState, 'status'> & { status: BatchHouseholdStatus })[];
}

/** The batch read model's fold: the domain's own (evolveBatch); an issued household reads `paid` once the batch completed. */
export function applyBatchEvent(row: LoanBatchRowState | undefined, e: BatchEvent): LoanBatchRowState {
  const s = evolveBatch(row && domainStateOf(row), e);
  if (s.status !== 'completed') return s;
  return { ...s, households: s.households.map((h) => (h.status === 'issued' ? { ...h, status: 'paid' } : h)) };
}

/** The domain's state back from a stored row (a `paid` household is the domain's `issued`; rows stored before `failed` was kept lack it). */
function domainStateOf(row: LoanBatchRowState): BatchState {
  return {
    ...row,
    failed: row.failed ?? [],
    households: row.households.map((h) => (h.status === 'paid' ? { ...h, status: 'issued' } : { ...h, status: h.status })),
  };
}

/** The batches read model and its households, in the append's transaction. */
export const loanBatchProjector = projectorOf([LOAN_STREAM.batch], async (tx, events) => {
  const batchId = events[0].streamId;
  const before = (await tx.query<{ state: LoanBatchRowState | null }>('SELECT state FROM loan_batches WHERE batch_id = $1 FOR UPDATE', [batchId])).rows[0]
    ?.state;
  const s = events.reduce<LoanBatchRowState | undefined>((st, e) => applyBatchEvent(st, { type: e.type, data: e.data } as BatchEvent), before ?? undefined);
  if (!s) return;
  const last = events[events.length - 1];
  await writeBatch(tx, s, last.recordedAt);
  await syncBatchTasks(tx, before ?? undefined, s, last.recordedAt);
});

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
