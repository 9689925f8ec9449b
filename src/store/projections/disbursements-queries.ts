import type { DisbursementState } from '../../domain/funds/disbursement';
import type { Queryable } from '../db';
import { scopeColumn } from '../scope';

/** The payee's village of a disbursement (what access is checked against). */
export async function disbursementVillage(db: Queryable, disbursementId: string): Promise<string | undefined> {
  return (await db.query<{ village: string }>('SELECT village FROM disbursements WHERE disbursement_id = $1', [disbursementId])).rows[0]?.village;
}

export async function findDisbursement(db: Queryable, disbursementId: string) {
  return (
    await db.query<{ state: DisbursementState; requested_at: Date; updated_at: Date }>(
      'SELECT state, requested_at, updated_at FROM disbursements WHERE disbursement_id = $1',
      [disbursementId],
    )
  ).rows[0];
}

export interface PayoutRow {
  disbursement_id: string;
  payee_type: 'household' | 'supplier';
  payee_id: string;
  village: string;
  village_name: string | null;
  purpose: string;
  /** Fen, as a bigint string. */
  amount_fen: string;
  status: string;
  paid_at: Date | null;
  /** The payee's account as stored: sealed, or plain in payouts from before sealing. */
  account: string;
  /** The masked form stored beside a sealed account. */
  account_masked: string | null;
}

/**
 * A fund's approved and paid payouts to the villages within `jurisdiction`, paid (or, until
 * paid, last changed) in [from, until), in that order. The account comes as stored; the caller
 * masks it (`storedAccountMasked`), so the masking rule is written once.
 */
export async function payoutsOf(db: Queryable, q: { fundId: string; jurisdiction: string; from: Date; until: Date }): Promise<PayoutRow[]> {
  return (
    await db.query<PayoutRow>(
      `SELECT d.disbursement_id, d.payee_type, d.payee_id, d.village, j.name AS village_name, d.purpose, d.amount_fen, d.status, d.paid_at,
            d.state->'payee'->>'account' AS account, d.state->'payee'->>'accountMasked' AS account_masked
     FROM disbursements d LEFT JOIN jurisdictions j ON j.code = d.village
     WHERE d.fund_id = $1 AND d.${scopeColumn(q.jurisdiction)} = $2 AND d.status IN ('approved', 'reserved', 'sent', 'paid')
       AND coalesce(d.paid_at, d.updated_at) >= $3 AND coalesce(d.paid_at, d.updated_at) < $4
     ORDER BY coalesce(d.paid_at, d.updated_at), d.disbursement_id`,
      [q.fundId, q.jurisdiction, q.from.toISOString(), q.until.toISOString()],
    )
  ).rows;
}
