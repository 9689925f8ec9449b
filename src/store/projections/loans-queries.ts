import { DELINQUENCY_BUCKETS, type DelinquencyBucket, type ScheduledInstalment } from '../../domain/loans/terms';
import type { RepaymentMethod } from '../../domain/loans/events';
import type { Queryable } from '../db';
import { scopeColumn } from '../scope';
import type { LoanRowState, LoanRowStatus } from './loans';

/**
 * Reads of the loans read model (projection: loans.ts). Every list is within a jurisdiction
 * (equality on its level's column, as the other reads). Delinquency is computed in SQL from
 * the earliest unpaid due day, the loan's grace days and `today` ('YYYY-MM-DD'):
 *   days past due = today − earliest unpaid due, once today is past that day + grace days; else 0
 *   bucket: 0 → current, 1–30, 31–60, 61–90, more → 90+.
 */

/** Days past due of a `loans` row at the day in parameter `$${p}`. */
export const daysPastDueSql = (p: number) =>
  `(CASE WHEN earliest_unpaid_due IS NOT NULL AND $${p}::date > earliest_unpaid_due + grace_days THEN $${p}::date - earliest_unpaid_due ELSE 0 END)`;

/** The delinquency bucket of a number of days past due. */
export const bucketSql = (dpd: string) =>
  `(CASE WHEN ${dpd} = 0 THEN 'current' WHEN ${dpd} <= 30 THEN '1-30' WHEN ${dpd} <= 60 THEN '31-60' WHEN ${dpd} <= 90 THEN '61-90' ELSE '90+' END)`;

/** Days past due that each bucket other than current spans (inclusive; 90+ has no end). */
const BUCKET_DAYS: Record<Exclude<DelinquencyBucket, 'current'>, [number, number | null]> = {
  '1-30': [1, 30],
  '31-60': [31, 60],
  '61-90': [61, 90],
  '90+': [91, null],
};

/** The bucket of a number of days past due: the domain's rule, which bucketSql repeats in SQL. */
export { bucketOf } from '../../domain/loans/delinquency';

/** Fen from a bigint or numeric column (a string); money stays within Number's safe integers. */
export function fen(v: string | number | null): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number of fen: ${v}`);
  return n;
}

export interface LoanListItem {
  loanId: string;
  schemeId: string;
  batchId: string;
  householdId: string;
  village: string;
  principalFen: number;
  repaidFen: number;
  inKindFen: number;
  writtenOffFen: number;
  outstandingFen: number;
  status: LoanRowStatus;
  paidOn: string | null;
  earliestUnpaidDue: string | null;
  graceDays: number;
  daysPastDue: number;
  bucket: DelinquencyBucket;
}

interface LoanListRow {
  loan_id: string;
  scheme_id: string;
  batch_id: string;
  household_id: string;
  village: string;
  principal_fen: string;
  repaid_fen: string;
  in_kind_fen: string;
  written_off_fen: string;
  outstanding_fen: string;
  status: LoanRowStatus;
  paid_on: string | null;
  earliest_unpaid_due: string | null;
  grace_days: number;
  days_past_due: number;
  bucket: DelinquencyBucket;
}

const listColumns = (todayParam: number) => `loan_id, scheme_id, batch_id, household_id, village, principal_fen, repaid_fen, in_kind_fen,
  written_off_fen, outstanding_fen, status, paid_on::text, earliest_unpaid_due::text, grace_days,
  ${daysPastDueSql(todayParam)} AS days_past_due, ${bucketSql(daysPastDueSql(todayParam))} AS bucket`;

const toItem = (r: LoanListRow): LoanListItem => ({
  loanId: r.loan_id,
  schemeId: r.scheme_id,
  batchId: r.batch_id,
  householdId: r.household_id,
  village: r.village,
  principalFen: fen(r.principal_fen),
  repaidFen: fen(r.repaid_fen),
  inKindFen: fen(r.in_kind_fen),
  writtenOffFen: fen(r.written_off_fen),
  outstandingFen: fen(r.outstanding_fen),
  status: r.status,
  paidOn: r.paid_on,
  earliestUnpaidDue: r.earliest_unpaid_due,
  graceDays: r.grace_days,
  daysPastDue: r.days_past_due,
  bucket: r.bucket,
});

export interface LoanFilter {
  schemeId?: string;
  village?: string;
  status?: LoanRowStatus;
  /** A delinquency bucket: only running (active) loans have one. */
  bucket?: DelinquencyBucket;
  householdId?: string;
  /** 'YYYY-MM-DD': the day days past due are counted at. */
  today: string;
  limit: number;
  /** Keyset cursor: the loan id of the last loan of the page before. */
  cursor?: string | null;
}

/**
 * Loans within a jurisdiction by the filters, in loan id order. A bucket filter reads a range
 * of earliest unpaid due days (the loans_unpaid_* indexes); only the grace days are checked
 * row by row.
 */
export async function listLoans(db: Queryable, scope: string, f: LoanFilter): Promise<LoanListItem[]> {
  const params: unknown[] = [scope, f.today];
  const where = [`${scopeColumn(scope)} = $1`];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.schemeId !== undefined) add((p) => `scheme_id = ${p}`, f.schemeId);
  if (f.village !== undefined) add((p) => `village = ${p}`, f.village);
  if (f.status !== undefined) add((p) => `status = ${p}`, f.status);
  if (f.householdId !== undefined) add((p) => `household_id = ${p}`, f.householdId);
  if (f.cursor) add((p) => `loan_id > ${p}`, f.cursor);
  if (f.bucket === 'current') {
    where.push(`status = 'active' AND (earliest_unpaid_due IS NULL OR $2::date <= earliest_unpaid_due + grace_days)`);
  } else if (f.bucket !== undefined) {
    const [from, to] = BUCKET_DAYS[f.bucket];
    where.push(`earliest_unpaid_due IS NOT NULL AND $2::date > earliest_unpaid_due + grace_days`);
    add((p) => `earliest_unpaid_due <= $2::date - ${p}::int`, from);
    if (to !== null) add((p) => `earliest_unpaid_due >= $2::date - ${p}::int`, to);
  }
  params.push(f.limit);
  const rows = (
    await db.query<LoanListRow>(`SELECT ${listColumns(2)} FROM loans WHERE ${where.join(' AND ')} ORDER BY loan_id LIMIT $${params.length}`, params)
  ).rows;
  return rows.map(toItem);
}

export interface LoanDetail extends LoanListItem {
  fundId: string;
  county: string;
  town: string;
  termsVersion: number;
  schedule: ScheduledInstalment[];
  closedOn: string | null;
  /** The whole fold: repayments, pending valuations, hardships, reminders. */
  state: LoanRowState;
  openedAt: Date;
  updatedAt: Date;
}

/** One loan with its state, delinquency counted at `today`. */
export async function getLoan(db: Queryable, loanId: string, today: string): Promise<LoanDetail | undefined> {
  const r = (
    await db.query<
      LoanListRow & {
        fund_id: string;
        county: string;
        town: string;
        terms_version: number;
        schedule: ScheduledInstalment[];
        closed_on: string | null;
        state: LoanRowState;
        opened_at: Date;
        updated_at: Date;
      }
    >(
      `SELECT ${listColumns(2)}, fund_id, county, town, terms_version, schedule, closed_on::text, s.state, opened_at, updated_at
       FROM loans JOIN loan_states s USING (loan_id) WHERE loan_id = $1`,
      [loanId, today],
    )
  ).rows[0];
  if (!r) return undefined;
  return {
    ...toItem(r),
    fundId: r.fund_id,
    county: r.county,
    town: r.town,
    termsVersion: r.terms_version,
    schedule: r.schedule,
    closedOn: r.closed_on,
    state: r.state,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
  };
}

/** The village of a loan's household (what access is checked against). */
export async function loanVillage(db: Queryable, loanId: string): Promise<string | undefined> {
  return (await db.query<{ village: string }>('SELECT village FROM loans WHERE loan_id = $1', [loanId])).rows[0]?.village;
}

export interface RepaymentRow {
  repaymentId: string;
  loanId: string;
  schemeId: string;
  householdId: string;
  village: string;
  amountFen: number;
  method: RepaymentMethod;
  reference: string;
  receivedOn: string;
  recordedBy: string;
  recordedAt: Date;
  inKind: { description: string; valuedBy: string; confirmedBy: string } | null;
  reversedAt: Date | null;
  reversedBy: string | null;
  reversalReason: string | null;
}

const REPAYMENT_COLUMNS = `repayment_id, loan_id, scheme_id, household_id, village, amount_fen, method, reference, received_on::text, recorded_by,
  recorded_at, in_kind, reversed_at, reversed_by, reversal_reason`;

interface RepaymentDbRow {
  repayment_id: string;
  loan_id: string;
  scheme_id: string;
  household_id: string;
  village: string;
  amount_fen: string;
  method: RepaymentMethod;
  reference: string;
  received_on: string;
  recorded_by: string;
  recorded_at: Date;
  in_kind: RepaymentRow['inKind'];
  reversed_at: Date | null;
  reversed_by: string | null;
  reversal_reason: string | null;
}

const toRepayment = (r: RepaymentDbRow): RepaymentRow => ({
  repaymentId: r.repayment_id,
  loanId: r.loan_id,
  schemeId: r.scheme_id,
  householdId: r.household_id,
  village: r.village,
  amountFen: fen(r.amount_fen),
  method: r.method,
  reference: r.reference,
  receivedOn: r.received_on,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  inKind: r.in_kind,
  reversedAt: r.reversed_at,
  reversedBy: r.reversed_by,
  reversalReason: r.reversal_reason,
});

/** A loan's repayments, reversed ones included (marked), in the order they were recorded. */
export async function listRepayments(db: Queryable, loanId: string): Promise<RepaymentRow[]> {
  return (
    await db.query<RepaymentDbRow>(`SELECT ${REPAYMENT_COLUMNS} FROM loan_repayments WHERE loan_id = $1 ORDER BY recorded_at, repayment_id`, [loanId])
  ).rows.map(toRepayment);
}

/** One repayment (a receipt). */
export async function getRepayment(db: Queryable, repaymentId: string): Promise<RepaymentRow | undefined> {
  const r = (await db.query<RepaymentDbRow>(`SELECT ${REPAYMENT_COLUMNS} FROM loan_repayments WHERE repayment_id = $1`, [repaymentId])).rows[0];
  return r && toRepayment(r);
}

/**
 * Every repayment of a scheme within a jurisdiction, reversed ones included (marked), by the
 * day received: the rows of the CSV export. With `page`, one page after the keyset cursor
 * (received_on, repayment_id), so a large export can be streamed. The ORDER BY names the
 * table's column: bare, `received_on` would be the selected text (`received_on::text`), and
 * sorting on that expression reads every row of the scheme instead of the index's order.
 */
export async function repaymentsCsvRows(
  db: Queryable,
  schemeId: string,
  scope: string,
  page?: { after: [string, string] | null; limit: number },
): Promise<RepaymentRow[]> {
  const [afterDay, afterId] = page?.after ?? [null, null];
  return (
    await db.query<RepaymentDbRow>(
      `SELECT ${REPAYMENT_COLUMNS} FROM loan_repayments
       WHERE scheme_id = $1 AND ${scopeColumn(scope)} = $2 AND ($3::date IS NULL OR (received_on, repayment_id) > ($3::date, $4::text))
       ORDER BY loan_repayments.received_on, repayment_id LIMIT $5`,
      [schemeId, scope, afterDay, afterId, page?.limit ?? null],
    )
  ).rows.map(toRepayment);
}

export interface OverdueByVillage {
  village: string;
  villageName: string | null;
  bucket: Exclude<DelinquencyBucket, 'current'>;
  loans: number;
  outstandingFen: number;
}

/**
 * Overdue loans within a jurisdiction per village and bucket at `today`: how many and what
 * they still owe. Reads only loans with something unpaid due before today (the
 * loans_unpaid_* indexes), one aggregate.
 */
export async function overdueLoansByVillage(db: Queryable, scope: string, today: string, schemeId?: string): Promise<OverdueByVillage[]> {
  const rows = (
    await db.query<{ village: string; village_name: string | null; bucket: OverdueByVillage['bucket']; loans: number; outstanding_fen: string }>(
      `SELECT o.village, j.name AS village_name, o.bucket, o.loans, o.outstanding_fen FROM (
         SELECT village, ${bucketSql(daysPastDueSql(2))} AS bucket, count(*)::int AS loans, sum(outstanding_fen) AS outstanding_fen
         FROM loans
         WHERE ${scopeColumn(scope)} = $1 AND earliest_unpaid_due < $2::date AND $2::date > earliest_unpaid_due + grace_days
           AND ($3::text IS NULL OR scheme_id = $3)
         GROUP BY 1, 2) o
       LEFT JOIN jurisdictions j ON j.code = o.village
       ORDER BY o.village, array_position($4::text[], o.bucket)`,
      [scope, today, schemeId ?? null, DELINQUENCY_BUCKETS],
    )
  ).rows;
  return rows.map((r) => ({ village: r.village, villageName: r.village_name, bucket: r.bucket, loans: r.loans, outstandingFen: fen(r.outstanding_fen) }));
}

export interface HouseholdLoanFacts {
  householdId: string;
  /** A loan of the scheme not yet closed (awaiting payout or running). */
  hasActiveLoan: boolean;
  /** In a batch of the scheme that is still running and has not dropped the household. */
  inOpenBatch: boolean;
  /** The last day a loan of the scheme was written off for the household, if ever. */
  lastWriteOffOn: string | null;
}

/** What a batch proposal needs to know of each household's loans of a scheme (eligibility is decided by the domain). */
export async function householdLoanFacts(db: Queryable, schemeId: string, householdIds: string[]): Promise<HouseholdLoanFacts[]> {
  const rows = (
    await db.query<{ household_id: string; active: boolean; in_batch: boolean; last_write_off: string | null }>(
      `SELECT h.household_id,
         EXISTS (SELECT 1 FROM loans l WHERE l.household_id = h.household_id AND l.scheme_id = $1 AND l.status IN ('pending', 'active')) AS active,
         EXISTS (SELECT 1 FROM loan_batch_households bh JOIN loan_batches b USING (batch_id)
                 WHERE bh.household_id = h.household_id AND b.scheme_id = $1 AND b.status <> 'completed'
                   AND bh.status IN ('proposed', 'signed')) AS in_batch,
         (SELECT max(l.closed_on)::text FROM loans l WHERE l.household_id = h.household_id AND l.scheme_id = $1 AND l.status = 'written_off') AS last_write_off
       FROM unnest($2::text[]) AS h(household_id)`,
      [schemeId, householdIds],
    )
  ).rows;
  return rows.map((r) => ({ householdId: r.household_id, hasActiveLoan: r.active, inOpenBatch: r.in_batch, lastWriteOffOn: r.last_write_off }));
}
