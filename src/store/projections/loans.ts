import type { PoolClient } from 'pg';
import { earliestUnpaidDue as domainEarliestUnpaidDue, owedBy } from '../../domain/loans/delinquency';
import type { LoanEvent } from '../../domain/loans/events';
import { evolveLoan, type LoanState } from '../../domain/loans/loan';
import { inDueOrder } from '../../domain/loans/schedule';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';
import { LOCAL_OFFICIALS, REPAYMENT_RECORDERS } from '../../domain/loans/loan-decide';
import { LOAN_STREAM } from './loan-streams';
import { reassignTask } from './tasks-queries';
import { syncOpenTask, versionedTaskId, type WantedTask } from './tasks';

/**
 * A loan as the read model holds it. Besides the domain's three statuses, a loan is `pending`
 * from its opening until its payout settles, and `cancelled` when the payout failed (nothing
 * is owed).
 */
export type LoanRowStatus = 'pending' | 'active' | 'repaid' | 'written_off' | 'cancelled';

export interface LoanRowState extends Omit<LoanState, 'status'> {
  status: LoanRowStatus;
  /** The last reminder issued: its task stays open while anything due by that day is unpaid. */
  reminder?: { instalment: number; dueDate: string };
}

/** The row's status: the domain's, but `pending` until the payout settles and `cancelled` when it failed. */
const rowStatus = (s: LoanState): LoanRowStatus => (s.cancelReason !== undefined ? 'cancelled' : s.paidOn === undefined ? 'pending' : s.status);

/** The domain's state back from a stored row: the row's own statuses are the domain's `active` (see rowStatus). */
function domainStateOf(row: LoanRowState): LoanState {
  return { ...row, status: row.status === 'pending' || row.status === 'cancelled' ? 'active' : row.status };
}

/**
 * The loan read model's fold: the domain's own (evolveLoan), with the row's status and last
 * reminder on top. Pure, so the columns (repaid, written off, outstanding, status, schedule,
 * earliest unpaid due day) are derived the same way however the events arrive.
 */
export function applyLoanEvent(row: LoanRowState | undefined, e: LoanEvent): LoanRowState {
  const s = evolveLoan(row && domainStateOf(row), e);
  // Kept apart from the domain's `reminders`: rows stored (or seeded) before it was folded carry only this.
  const reminder =
    e.type === 'ReminderIssued' ? { instalment: e.data.instalment, dueDate: e.data.dueDate } : e.type === 'LoanOpened' ? undefined : row?.reminder;
  return { ...s, status: rowStatus(s), ...(reminder ? { reminder } : {}) };
}

/**
 * The due day of the first instalment that what was repaid and written off does not cover;
 * undefined when every instalment is covered, or the loan is not running.
 */
export function earliestUnpaidDue(s: LoanRowState): string | undefined {
  return s.status === 'active' ? domainEarliestUnpaidDue(s) : undefined;
}

/** The schedule as sorted due days and the amount fallen due by each (the `loans` row's due_dates and due_cumulative). */
export function dueArrays(s: LoanRowState): { dates: string[]; cumulative: number[] } {
  const sorted = inDueOrder(s.schedule);
  let sum = 0;
  return { dates: sorted.map((i) => i.dueDate), cumulative: sorted.map((i) => (sum += i.amountFen)) };
}

/** A task's subject id within a loan: the loan itself for repayments, one per hardship, one per in-kind valuation. */
const subjectIds = {
  repayment: (loanId: string) => loanId,
  hardship: (loanId: string, hardshipId: string) => `${loanId}/hardship:${hardshipId}`,
  inKind: (loanId: string, valuationId: string) => `${loanId}/in_kind:${valuationId}`,
  overdue: (loanId: string, instalment: number, dueDate: string) => `${loanId}/overdue:${instalment}@${dueDate}`,
};

/**
 * The people a loan waits for, by task subject: whoever may record a repayment (the village
 * official, the fund's cashier or manager) while a reminded instalment is unpaid; the town (a deferral) or the county (a write-off, two officials in
 * turn) while a hardship is undecided; a second official of the village, or one of its town, while
 * a calf's valuation is unconfirmed (whoever may confirm it). Nothing once the loan is no longer running.
 */
export function wantedLoanTasks(s: LoanRowState): Map<string, Omit<WantedTask, 'taskId'>> {
  const wanted = new Map<string, Omit<WantedTask, 'taskId'>>();
  if (s.status !== 'active') return wanted;
  const loc = s.location;
  if (s.reminder && owedBy(s, s.reminder.dueDate) > 0) {
    wanted.set(subjectIds.repayment(s.loanId), {
      kind: 'decision',
      step: 'repayment_due',
      roles: [...REPAYMENT_RECORDERS],
      jurisdiction: loc.village,
      householdHash: '',
      round: `${s.reminder.instalment}:${s.reminder.dueDate}`,
      dueAt: `${s.reminder.dueDate}T23:59:59.999Z`,
    });
  }
  for (const h of s.hardships) {
    if (h.status !== 'proposed') continue;
    const deferral = h.proposal === 'deferral';
    wanted.set(subjectIds.hardship(s.loanId, h.hardshipId), {
      kind: 'decision',
      step: deferral ? 'hardship_deferral' : 'hardship_write_off',
      roles: [deferral ? 'town_official' : 'county_official'],
      barred: [h.reportedBy, ...h.approvals],
      jurisdiction: deferral ? loc.town : loc.county,
      householdHash: '',
      round: String(h.approvals.length),
    });
  }
  // Issue #13: a late instalment escalated to the town (then the county) is a follow-up there until it is paid.
  const levels = new Map<string, { instalment: number; dueDate: string; level: 'town' | 'county' }>();
  for (const e of s.overdueEscalations ?? []) levels.set(subjectIds.overdue(s.loanId, e.instalment, e.dueDate), e);
  for (const [subjectId, e] of levels) {
    if (owedBy(s, e.dueDate) === 0) continue;
    wanted.set(subjectId, {
      kind: 'follow_up',
      step: 'repayment_overdue',
      roles: [e.level === 'town' ? 'town_official' : 'county_official'],
      jurisdiction: e.level === 'town' ? loc.town : loc.county,
      householdHash: '',
      round: `${e.instalment}:${e.dueDate}/${e.level}`,
    });
  }
  for (const v of s.pendingValuations) {
    wanted.set(subjectIds.inKind(s.loanId, v.valuationId), {
      kind: 'decision',
      step: 'in_kind_confirmation',
      roles: [...LOCAL_OFFICIALS],
      barred: [v.valuedBy],
      jurisdiction: loc.village,
      householdHash: '',
      round: '0',
    });
  }
  return wanted;
}

/** The loans read model, its repayments and its tasks, in the append's transaction. */
export const loanProjector = projectorOf([LOAN_STREAM.loan], async (tx, events) => {
  const loanId = events[0].streamId;
  let s = (await tx.query<{ state: LoanRowState }>('SELECT state FROM loan_states WHERE loan_id = $1 FOR UPDATE', [loanId])).rows[0]?.state;
  for (const stored of events) {
    const before = s;
    const e = { type: stored.type, data: stored.data } as LoanEvent;
    s = applyLoanEvent(s, e);
    await writeLoan(tx, s, stored);
    if (e.type === 'LoanDisbursed') {
      await tx.query(
        'INSERT INTO loan_scheme_households (scheme_id, household_id, first_paid_on) VALUES ($1, $2, $3) ON CONFLICT (scheme_id, household_id) DO NOTHING',
        [s.schemeId, s.householdId, e.data.paidOn],
      );
    }
    await projectRepayment(tx, s, e, stored);
    if (e.type === 'LoanTaskReassigned') await reassignTask(tx, loanId, e.data.taskId, e.data.to);
    await syncLoanTasks(tx, before, s, stored);
  }
});

async function writeLoan(tx: PoolClient, s: LoanRowState, at: StoredEvent): Promise<void> {
  const loc = s.location;
  const due = dueArrays(s);
  await tx.query(
    `INSERT INTO loans (loan_id, scheme_id, batch_id, fund_id, household_id, village, town, county, terms_version, principal_fen,
       repaid_fen, in_kind_fen, written_off_fen, outstanding_fen, status, paid_on, earliest_unpaid_due, grace_days, schedule, due_dates, due_cumulative,
       closed_on, opened_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23)
     ON CONFLICT (loan_id) DO UPDATE SET repaid_fen = EXCLUDED.repaid_fen, in_kind_fen = EXCLUDED.in_kind_fen,
       written_off_fen = EXCLUDED.written_off_fen, outstanding_fen = EXCLUDED.outstanding_fen, status = EXCLUDED.status,
       paid_on = EXCLUDED.paid_on, earliest_unpaid_due = EXCLUDED.earliest_unpaid_due, schedule = EXCLUDED.schedule,
       due_dates = EXCLUDED.due_dates, due_cumulative = EXCLUDED.due_cumulative, closed_on = EXCLUDED.closed_on, updated_at = EXCLUDED.updated_at`,
    [
      s.loanId,
      s.schemeId,
      s.batchId,
      s.fundId,
      s.householdId,
      loc.village,
      loc.town,
      loc.county,
      s.termsVersion,
      s.principalFen,
      s.repaidFen,
      s.inKindFen,
      s.writtenOffFen,
      s.outstandingFen,
      s.status,
      s.paidOn ?? null,
      earliestUnpaidDue(s) ?? null,
      s.graceDays,
      JSON.stringify(s.schedule),
      due.dates,
      due.cumulative,
      s.closedOn ?? null,
      at.recordedAt,
    ],
  );
  await tx.query('INSERT INTO loan_states (loan_id, state) VALUES ($1, $2) ON CONFLICT (loan_id) DO UPDATE SET state = EXCLUDED.state', [s.loanId, s]);
}

/** A repayment is a row of its own (for receipts and the export); a reversal marks it, never deletes it. */
async function projectRepayment(tx: PoolClient, s: LoanRowState, e: LoanEvent, at: StoredEvent): Promise<void> {
  if (e.type === 'RepaymentRecorded') {
    const d = e.data;
    const loc = s.location;
    await tx.query(
      `INSERT INTO loan_repayments (repayment_id, loan_id, scheme_id, household_id, village, town, county, amount_fen, method, reference,
         received_on, recorded_by, recorded_at, in_kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (repayment_id) DO NOTHING`,
      [
        d.repaymentId,
        s.loanId,
        s.schemeId,
        s.householdId,
        loc.village,
        loc.town,
        loc.county,
        d.amountFen,
        d.method,
        d.reference,
        d.receivedOn,
        d.recordedBy,
        at.recordedAt,
        d.inKind ?? null,
      ],
    );
  } else if (e.type === 'RepaymentReversed') {
    await tx.query(
      `UPDATE loan_repayments SET reversed_at = $2, reversed_by = $3, reversal_reason = $4 WHERE repayment_id = $1 AND loan_id = $5 AND reversed_at IS NULL`,
      [e.data.repaymentId, at.recordedAt, e.data.reversedBy, e.data.reason, s.loanId],
    );
  }
}

/**
 * Opens and closes the loan's tasks for every subject whose wanted task the event changed. A
 * task opened by the event at version v is `task-{uuid}-{v × 100 + i}`: one event may open
 * several (a reopened loan), each with an id of its own.
 */
async function syncLoanTasks(tx: PoolClient, before: LoanRowState | undefined, after: LoanRowState, at: StoredEvent): Promise<void> {
  const was = before ? wantedLoanTasks(before) : new Map<string, Omit<WantedTask, 'taskId'>>();
  const now = wantedLoanTasks(after);
  let i = 0;
  for (const subjectId of new Set([...was.keys(), ...now.keys()])) {
    const want = now.get(subjectId);
    if (JSON.stringify(want) === JSON.stringify(was.get(subjectId))) continue;
    const taskId = versionedTaskId(after.loanId, at.version * 100 + i++);
    await syncOpenTask(tx, { kind: 'loan', id: subjectId }, want && { ...want, taskId }, at.recordedAt);
  }
}
