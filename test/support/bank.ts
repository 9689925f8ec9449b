import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpPaymentGateway } from '../../src/activities/bank/http-payment-gateway';
import type { BankBehaviour } from '../../src/bank/bank-server';
import { startBankServer } from '../../src/bank/bank-server';

/** The simulated bank as a real HTTP service on a free port, with its own journal directory. */
export async function testBank(behaviour: Partial<BankBehaviour> = {}, gatewayTimeoutMs = 3000) {
  const dataDir = mkdtempSync(join(tmpdir(), 'aid-bank-'));
  const server = await startBankServer({ dataDir, seed: 7, behaviour: { latencyMs: [1, 5], settleDelayMs: 100, ...behaviour } });
  const gateway = new HttpPaymentGateway({ baseUrl: server.url, timeoutMs: gatewayTimeoutMs });
  return {
    server,
    gateway,
    async setBehaviour(b: Partial<BankBehaviour>) {
      const res = await fetch(`${server.url}/_admin/behaviour`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...server.config, ...b }),
      });
      if (!res.ok) throw new Error(`bank behaviour: ${res.status}`);
    },
    async payments(): Promise<{ idempotencyKey: string; status: string; amountFen: number; toAccount: string }[]> {
      const body = (await (await fetch(`${server.url}/_admin/payments`)).json()) as { payments: never[] } | never[];
      return Array.isArray(body) ? body : body.payments;
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type TestBank = Awaited<ReturnType<typeof testBank>>;

/** For suites that never pay: any call is a bug in the test. */
export const noBank = {
  send: () => Promise.reject(new Error('this suite has no bank')),
  status: () => Promise.reject(new Error('this suite has no bank')),
  statement: () => Promise.reject(new Error('this suite has no bank')),
};
