import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { storedAccountMasked } from '../../crypto/sealed-field';
import { formatYuan } from '../../domain/funds/money';
import { payoutsOf } from '../../store/projections/disbursements-queries';
import type { AuthUser } from '../auth/user';
import type { PayoutListView, PayoutsQuery } from '../contract/reconciliation-schemas';
import { PG_POOL } from '../tokens';
import { fundWithin } from './fund-access';

type PayoutList = z.infer<typeof PayoutListView>;
const DAY_MS = 86_400_000;

/**
 * Publicity of payouts (issue #4 item 5; DOMAIN.md: payouts are publicised). Any authenticated
 * user, applicants included, sees a fund's approved and paid payouts to the villages within
 * both the fund's jurisdiction and their own: a villager sees their village's, a town
 * official their town's, the county all. No ID numbers; accounts masked.
 */
@Injectable()
export class PayoutsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(user: AuthUser, fundId: string, q: z.infer<typeof PayoutsQuery>): Promise<PayoutList> {
    const fund = await fundWithin(this.pool, user, fundId);
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const until = Date.parse(`${q.to}T00:00:00Z`) + DAY_MS;
    // The narrower of the two overlapping jurisdictions (the longer code).
    const scope = user.jurisdiction.length > fund.jurisdiction.length ? user.jurisdiction : fund.jurisdiction;
    const rows = await payoutsOf(this.pool, { fundId, jurisdiction: scope, from: new Date(from), until: new Date(until) });
    const items = rows.map((r) => {
      const amountFen = Number(r.amount_fen);
      return {
        disbursementId: r.disbursement_id,
        payeeType: r.payee_type,
        householdId: r.payee_type === 'household' ? r.payee_id : null,
        supplierId: r.payee_type === 'supplier' ? r.payee_id : null,
        village: r.village,
        villageName: r.village_name,
        purpose: r.purpose as PayoutList['items'][number]['purpose'],
        amountFen,
        amountYuan: formatYuan(amountFen),
        status: r.status === 'paid' ? ('paid' as const) : ('approved' as const),
        paidDate: r.paid_at ? r.paid_at.toISOString().slice(0, 10) : null,
        accountMasked: storedAccountMasked(r.account, r.account_masked ?? undefined), // stored beside the sealed account (masked here for payouts from before sealing)
      };
    });
    const totalFen = items.reduce((a, i) => a + i.amountFen, 0);
    return { fundId, fundName: fund.name, from: q.from, to: q.to, scope, items, count: items.length, totalFen, totalYuan: formatYuan(totalFen) };
  }
}

const CSV_COLUMNS = [
  ['disbursement_id', 'disbursementId'],
  ['payee_type', 'payeeType'],
  ['household_id', 'householdId'],
  ['supplier_id', 'supplierId'],
  ['village_code', 'village'],
  ['village_name', 'villageName'],
  ['purpose', 'purpose'],
  ['amount_fen', 'amountFen'],
  ['amount_yuan', 'amountYuan'],
  ['status', 'status'],
  ['paid_date', 'paidDate'],
  ['account_masked', 'accountMasked'],
] as const;

/** RFC 4180; a text cell that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function cell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The list as UTF-8 CSV: a BOM (so spreadsheets read Chinese names right), a header row, CRLF line ends. */
export function payoutsCsv(list: PayoutList): string {
  const lines = [CSV_COLUMNS.map(([h]) => h).join(','), ...list.items.map((i) => CSV_COLUMNS.map(([, k]) => cell(i[k])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
