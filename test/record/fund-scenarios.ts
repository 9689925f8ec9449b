import type { ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { mustCall } from './recorder';

const ENDED = ['paid', 'failed', 'refused', 'rejected'];

/** Funds, disbursements and reconciliations driven through the HTTP API and the simulated bank. */
export function fundScenarios(api: ApiHarness) {
  const status = async (id: string): Promise<string> => (await mustCall(api, 'GET', `/disbursements/${id}`, 'fund-manager')).status;

  return {
    async openFund(account: string, depositFen: number): Promise<string> {
      const f = await mustCall(api, 'POST', '/funds', 'fund-manager', { name: 'Synthetic test fund', jurisdiction: '522701', account });
      await mustCall(api, 'POST', `/funds/${f.fundId}/deposits`, 'fund-manager', { amountFen: depositFen, source: 'budget', reference: 'synthetic deposit' });
      return f.fundId;
    },

    /** Requests a payout to an enrolled household, lets `approvers` decide in turn, and waits for the end; returns its id. */
    async disburse(fundId: string, householdId: string, amountFen: number, approvers: string[], expected: string, reject = false): Promise<string> {
      const d = await mustCall(api, 'POST', '/disbursements', 'fund-manager', {
        fundId,
        payee: { type: 'household', householdId },
        purpose: 'one_time_relief',
        amountFen,
      });
      for (const as of approvers) {
        await mustCall(
          api,
          'POST',
          `/disbursements/${d.disbursementId}/decisions`,
          as,
          reject ? { decision: 'reject', reason: 'synthetic reason: not needed' } : { decision: 'approve' },
        );
      }
      await waitFor(async () => ENDED.includes(await status(d.disbursementId)), 60_000);
      const ended = await status(d.disbursementId);
      if (ended !== expected) throw new Error(`disbursement ${d.disbursementId} ended ${ended}, expected ${expected}`);
      return d.disbursementId;
    },

    /** The UTC day on which the bank settled a payout (reconciliation works by day). */
    async settledDay(disbursementId: string): Promise<string> {
      const p = ((await api.bank.payments()) as any[]).find((x) => x.idempotencyKey === disbursementId);
      if (!p?.settledAt) throw new Error(`the bank has no settled payment ${disbursementId}`);
      return p.settledAt.slice(0, 10);
    },

    /** Reconciles on demand over HTTP and checks the number of mismatches; returns the workflow id. */
    async reconcile(fundId: string, date: string, mismatches: number): Promise<string> {
      const r = await mustCall(api, 'POST', `/funds/${fundId}/reconciliations`, 'fund-manager', { date });
      if (r.mismatches.length !== mismatches) throw new Error(`reconciliation of ${fundId} found ${JSON.stringify(r.mismatches)}, expected ${mismatches}`);
      return `recon-${fundId}-${date}`;
    },

    /** A bank line the books do not have, on the fund's account. */
    async plantBankLine(fundAccount: string, date: string): Promise<void> {
      const res = await fetch(`${api.bank.server.url}/_admin/statement-lines`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          date,
          account: fundAccount,
          idempotencyKey: 'synthetic-ghost-payment',
          reference: 'synthetic',
          toAccount: '9999000099998888',
          amountFen: 50_000,
        }),
      });
      if (res.status !== 201) throw new Error(`planting a bank line: ${res.status}`);
    },
  };
}
