import type { Queryable } from '../db';

/** A fund as access checks and requests need it (projection: funds.ts). */
export interface FundRow {
  fund_id: string;
  name: string;
  jurisdiction: string;
  account: string;
}

export async function findFund(db: Queryable, fundId: string): Promise<FundRow | undefined> {
  return (await db.query<FundRow>('SELECT fund_id, name, jurisdiction, account FROM funds WHERE fund_id = $1', [fundId])).rows[0];
}

/** True when the account is already the special account of a fund other than `fundId`. */
export async function accountUsedByAnotherFund(db: Queryable, account: string, fundId: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM funds WHERE account = $1 AND fund_id <> $2', [account, fundId])).rowCount ?? 0) > 0;
}

export interface FundBalancesRow {
  fund_id: string;
  name: string;
  jurisdiction: string;
  /** Fen, as bigint strings. */
  deposited: string;
  available: string;
  reserved: string;
  paid: string;
  sources: { source: string; amount: string }[] | null;
}

/** The fund with its balances and what each source deposited. */
export async function fundWithBalances(db: Queryable, fundId: string): Promise<FundBalancesRow | undefined> {
  return (
    await db.query<FundBalancesRow>(
      `SELECT f.fund_id, f.name, f.jurisdiction, b.deposited, b.available, b.reserved, b.paid,
            (SELECT json_agg(json_build_object('source', s.source, 'amount', s.amount) ORDER BY s.source) FROM fund_sources s WHERE s.fund_id = f.fund_id) AS sources
     FROM funds f JOIN fund_balances b USING (fund_id) WHERE f.fund_id = $1`,
      [fundId],
    )
  ).rows[0];
}

/**
 * The funds whose jurisdiction overlaps `scope` (one contains the other, as fundWithin checks
 * one fund), with balances, in (created_at, fund_id) order after the cursor; `limit` at most.
 */
export async function fundsOverlapping(
  db: Queryable,
  scope: string,
  page: { after: [string, string] | null; limit: number },
): Promise<(FundBalancesRow & { created_at: Date })[]> {
  const [afterAt, afterId] = page.after ?? [null, null];
  return (
    await db.query<FundBalancesRow & { created_at: Date }>(
      // Times to the millisecond, as the cursor carries them (a JS Date): no fund is skipped or repeated between pages.
      `SELECT f.fund_id, f.name, f.jurisdiction, date_trunc('milliseconds', f.created_at) AS created_at, b.deposited, b.available, b.reserved, b.paid, NULL AS sources
       FROM funds f JOIN fund_balances b USING (fund_id)
       WHERE (starts_with(f.jurisdiction, $1) OR starts_with($1, f.jurisdiction))
         AND ($2::timestamptz IS NULL OR (date_trunc('milliseconds', f.created_at), f.fund_id) > ($2, $3))
       ORDER BY date_trunc('milliseconds', f.created_at), f.fund_id LIMIT $4`,
      [scope, afterAt, afterId, page.limit],
    )
  ).rows;
}

export interface LedgerEntryRow {
  entry_id: string;
  kind: string;
  reference: string;
  booked_at: Date;
  /** Fen, as bigint strings. */
  lines: { account: string; debit: string; credit: string }[];
}

/** The fund's ledger entries after `afterEntryId` (a bigint as digits), with their lines in order; `limit` at most. */
export async function ledgerEntries(db: Queryable, fundId: string, afterEntryId: string, limit: number): Promise<LedgerEntryRow[]> {
  return (
    await db.query<LedgerEntryRow>(
      `SELECT e.entry_id, e.kind, e.reference, e.booked_at,
            json_agg(json_build_object('account', l.account, 'debit', l.debit, 'credit', l.credit) ORDER BY l.line_no) AS lines
     FROM ledger_entries e JOIN ledger_lines l USING (entry_id)
     WHERE e.fund_id = $1 AND e.entry_id > $2 GROUP BY e.entry_id ORDER BY e.entry_id LIMIT $3`,
      [fundId, afterEntryId, limit],
    )
  ).rows;
}
