/** The simulated bank and our client for it, over real HTTP and real journal files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpPaymentGateway } from '../../src/activities/bank/http-payment-gateway';
import { BankUnavailableError, PaymentRejectedError, type PaymentOrder, type PaymentStatus } from '../../src/activities/bank/payment-gateway';
import { JOURNAL_FILE } from '../../src/bank/bank-store';
import { startBankServer, type BankBehaviour, type BankOptions, type BankServer } from '../../src/bank/bank-server';

const dirs: string[] = [];
const servers: BankServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const newDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bank-test-'));
  dirs.push(d);
  return d;
};

async function start(opts: Partial<BankOptions> = {}): Promise<{ bank: BankServer; gw: HttpPaymentGateway; dataDir: string }> {
  const dataDir = opts.dataDir ?? newDir();
  const bank = await startBankServer({ seed: 1, ...opts, dataDir, behaviour: { settleDelayMs: 50, ...opts.behaviour } });
  servers.push(bank);
  return { bank, gw: new HttpPaymentGateway({ baseUrl: bank.url, timeoutMs: 2000 }), dataDir };
}

async function stop(bank: BankServer): Promise<void> {
  servers.splice(servers.indexOf(bank), 1);
  await bank.close();
}

let n = 0;
const order = (over: Partial<PaymentOrder> = {}): PaymentOrder => ({
  idempotencyKey: `d-${++n}`,
  fromAccount: 'FUND-001',
  toAccount: '6222020200001234',
  amountFen: 50_000,
  reference: `disbursement ${n}`,
  ...over,
});

const api = async (bank: BankServer, method: string, p: string, body?: unknown) => {
  const res = await fetch(bank.url + p, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const setBehaviour = (bank: BankServer, b: Partial<BankBehaviour>) => api(bank, 'PUT', '/_admin/behaviour', b);
const adminPayments = async (bank: BankServer) => (await api(bank, 'GET', '/_admin/payments')).body.payments as any[];

async function until(gw: HttpPaymentGateway, key: string, done: (s: PaymentStatus | undefined) => boolean, ms = 3000): Promise<PaymentStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await gw.status(key);
    if (done(s)) return s!;
    if (Date.now() > deadline) throw new Error(`payment ${key} still ${JSON.stringify(s)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const finished = (s: PaymentStatus | undefined) => s !== undefined && s.status !== 'pending';
const utcDay = (iso: string) => iso.slice(0, 10);

describe('simulated bank', () => {
  it('accepts a payment as pending and settles it later', async () => {
    // Long enough that the status call after the send still finds it pending on a loaded machine
    // (at 300 ms, a CPU hog once let it settle in between).
    const { gw } = await start({ behaviour: { settleDelayMs: 3000 } });
    const o = order();
    expect(await gw.status(o.idempotencyKey)).toBeUndefined();
    expect(await gw.send(o)).toEqual({ status: 'pending' });
    expect(await gw.status(o.idempotencyKey)).toEqual({ status: 'pending' });
    const s = await until(gw, o.idempotencyKey, finished, 15_000);
    expect(s).toEqual({ status: 'settled', settledAt: expect.any(String), paymentId: expect.stringMatching(/^pay_/) });
    // Sending again later answers the settled payment, not a new one.
    expect(await gw.send(o)).toEqual(s);
  });

  it('creates one payment for one idempotency key sent 5 times at once', async () => {
    const { bank, gw } = await start();
    const o = order();
    const statuses = await Promise.all(Array.from({ length: 5 }, () => gw.send(o)));
    statuses.forEach((s) => expect(s.status).not.toBe('failed'));
    expect((await adminPayments(bank)).filter((p) => p.idempotencyKey === o.idempotencyKey)).toHaveLength(1);
    // The same over raw HTTP: one 202 (created), four 200 (found), one paymentId.
    const r = order();
    const raw = await Promise.all(Array.from({ length: 5 }, () => api(bank, 'POST', '/payments', { ...r, currency: 'CNY' })));
    expect(raw.map((x) => x.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(new Set(raw.map((x) => x.body.paymentId)).size).toBe(1);
    const mine = (await adminPayments(bank)).filter((p) => p.idempotencyKey === r.idempotencyKey);
    expect(mine).toHaveLength(1);
    expect(mine[0].paymentId).toBe(raw[0].body.paymentId);
    expect(await adminPayments(bank)).toHaveLength(2);
  });

  it('refuses the same key with a different body (422) and keeps the first payment', async () => {
    const { bank, gw } = await start();
    const o = order();
    await gw.send(o);
    const err = await gw.send({ ...o, amountFen: o.amountFen + 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentRejectedError);
    expect(err).toMatchObject({ httpStatus: 422, code: 'idempotency_conflict' });
    expect((await adminPayments(bank)).map((p) => p.amountFen)).toEqual([o.amountFen]);
  });

  it('rejects an invalid order (400) without recording it, and without echoing the account', async () => {
    const { bank, gw } = await start();
    const err = await gw.send(order({ toAccount: 'ACC-99x' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentRejectedError);
    expect(err).toMatchObject({ httpStatus: 400, code: 'validation_failed' });
    expect((err as Error).message).not.toContain('ACC-99x');
    expect(await adminPayments(bank)).toEqual([]);
  });

  it('fails payments to a closed account (…0000) and over the amount limit, for good', async () => {
    const { gw } = await start({ behaviour: { maxAmountFen: 100_000 } });
    const closed = order({ toAccount: '6222020200000000' });
    const tooBig = order({ amountFen: 100_001 });
    expect(await gw.send(closed)).toEqual({ status: 'pending' });
    await gw.send(tooBig);
    expect(await until(gw, closed.idempotencyKey, finished)).toEqual({ status: 'failed', reason: 'account closed', paymentId: expect.any(String) });
    expect(await until(gw, tooBig.idempotencyKey, finished)).toMatchObject({ status: 'failed', reason: 'amount exceeds limit' });
    expect(await gw.send(closed)).toMatchObject({ status: 'failed', reason: 'account closed' });
  });

  it('answers 503 when unavailable, records nothing, and connection refused is unavailable too', async () => {
    const { bank, gw } = await start({ behaviour: { transientFailureRate: 1 } });
    const o = order();
    await expect(gw.send(o)).rejects.toBeInstanceOf(BankUnavailableError);
    await expect(gw.send(o)).rejects.toMatchObject({ httpStatus: 503 });
    await expect(gw.status(o.idempotencyKey)).rejects.toBeInstanceOf(BankUnavailableError);
    await expect(gw.statement('FUND-001', '2025-01-01')).rejects.toBeInstanceOf(BankUnavailableError);
    expect(await adminPayments(bank)).toEqual([]);
    await stop(bank);
    await expect(gw.send(o)).rejects.toBeInstanceOf(BankUnavailableError);
  });

  it('times out yet makes the payment; a retry with the same key finds the same payment', async () => {
    const { bank } = await start({ behaviour: { timeoutRate: 1 } });
    const impatient = new HttpPaymentGateway({ baseUrl: bank.url, timeoutMs: 300 });
    const o = order();
    const t0 = Date.now();
    const err = await impatient.send(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BankUnavailableError);
    expect((err as Error).message).toMatch(/no answer within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(2000);
    // "Did my payment go through?" It did.
    const settled = await until(impatient, o.idempotencyKey, finished);
    expect(settled.status).toBe('settled');
    await setBehaviour(bank, { timeoutRate: 0, settleDelayMs: 50 });
    expect(await impatient.send(o)).toEqual(settled);
    expect(await adminPayments(bank)).toHaveLength(1);
  });

  it('keeps payments across a restart and settles what was pending at shutdown', async () => {
    const first = await start();
    const done = order();
    const failed = order({ toAccount: '6222020200000000' });
    await first.gw.send(done);
    await first.gw.send(failed);
    const settled = await until(first.gw, done.idempotencyKey, finished);
    await until(first.gw, failed.idempotencyKey, finished);
    const overdue = order(); // due while the bank is down
    await first.gw.send(overdue);
    await setBehaviour(first.bank, { settleDelayMs: 6000 }); // outlasts a restart on a loaded machine
    const later = order(); // still due after the restart
    await first.gw.send(later);
    await stop(first.bank);
    await new Promise((r) => setTimeout(r, 150));

    const second = await start({ dataDir: first.dataDir });
    expect(await second.gw.status(done.idempotencyKey)).toEqual(settled);
    expect(await second.gw.status(failed.idempotencyKey)).toMatchObject({ status: 'failed', reason: 'account closed' });
    expect(await second.gw.status(overdue.idempotencyKey)).toMatchObject({ status: 'settled' });
    expect(await second.gw.status(later.idempotencyKey)).toEqual({ status: 'pending' });
    expect(await until(second.gw, later.idempotencyKey, finished, 15_000)).toMatchObject({ status: 'settled' });
    expect(await second.gw.send(done)).toEqual(settled); // still deduplicated after restart
    expect(await adminPayments(second.bank)).toHaveLength(4);
  });

  it('drops a torn last journal line (a crash mid-write) and goes on appending', async () => {
    const first = await start();
    const o = order();
    await first.gw.send(o);
    const settled = await until(first.gw, o.idempotencyKey, finished);
    await stop(first.bank);
    fs.appendFileSync(path.join(first.dataDir, JOURNAL_FILE), '{"type":"accepted","payment":{"paym');

    const second = await start({ dataDir: first.dataDir });
    expect(await second.gw.status(o.idempotencyKey)).toEqual(settled);
    const next = order();
    await second.gw.send(next);
    await until(second.gw, next.idempotencyKey, finished);
    await stop(second.bank);
    const third = await start({ dataDir: first.dataDir });
    expect(await third.gw.status(next.idempotencyKey)).toMatchObject({ status: 'settled' });
  });

  it('answers a new order that is already due with its whole outcome (settledAt, failureReason), as a slow machine sees it', async () => {
    // Settling at once is what a loaded machine does when fsync outlasts the settle delay.
    const { bank, gw } = await start({ behaviour: { settleDelayMs: 0 } });
    try {
      expect(await gw.send(order())).toMatchObject({ status: 'settled', settledAt: expect.any(String), paymentId: expect.any(String) });
      expect(await gw.send(order({ toAccount: '6222020200000000' }))).toMatchObject({ status: 'failed', reason: 'account closed' });
    } finally {
      await stop(bank);
    }
  });

  it("lists a day's settled payments of one paying account, plus planted lines", async () => {
    const { bank, gw } = await start();
    const a1 = order({ fromAccount: 'FUND-A' });
    const a2 = order({ fromAccount: 'FUND-A' });
    const aFailed = order({ fromAccount: 'FUND-A', toAccount: '6222020200000000' });
    const b1 = order({ fromAccount: 'FUND-B' });
    for (const o of [a1, a2, aFailed, b1]) await gw.send(o);
    const s1 = await until(gw, a1.idempotencyKey, finished);
    for (const o of [a2, aFailed, b1]) await until(gw, o.idempotencyKey, finished);
    const today = utcDay((s1 as { settledAt: string }).settledAt);
    const planted = { date: today, account: 'FUND-A', idempotencyKey: 'never-sent', reference: 'unknown', toAccount: '6222020200009999', amountFen: 777 };
    expect((await api(bank, 'POST', '/_admin/statement-lines', planted)).status).toBe(201);
    await api(bank, 'POST', '/_admin/statement-lines', { ...planted, date: '2020-02-29', idempotencyKey: 'other-day' });

    const lines = await gw.statement('FUND-A', today);
    expect(lines.map((l) => l.idempotencyKey).sort()).toEqual([a1.idempotencyKey, a2.idempotencyKey, 'never-sent'].sort());
    expect(lines.find((l) => l.idempotencyKey === a1.idempotencyKey)).toEqual({
      paymentId: (s1 as { paymentId: string }).paymentId,
      idempotencyKey: a1.idempotencyKey,
      reference: a1.reference,
      toAccount: a1.toAccount,
      amountFen: a1.amountFen,
      settledAt: (s1 as { settledAt: string }).settledAt,
    });
    expect((await gw.statement('FUND-B', today)).map((l) => l.idempotencyKey)).toEqual([b1.idempotencyKey]);
    expect((await gw.statement('FUND-A', '2020-02-29')).map((l) => l.idempotencyKey)).toEqual(['other-day']);
    await expect(gw.statement('FUND-A', '2020-02-30')).rejects.toBeInstanceOf(PaymentRejectedError);
  });

  it('repeats its failure pattern for a seed, and validates behaviour changes', async () => {
    const pattern = async () => {
      const { bank, gw } = await start({ seed: 42, behaviour: { transientFailureRate: 0.5, latencyMs: [0, 2] } });
      const out: string[] = [];
      for (let i = 0; i < 12; i++)
        out.push(
          await gw.status('x').then(
            () => 'ok',
            () => 'down',
          ),
        );
      await stop(bank);
      return out;
    };
    const first = await pattern();
    expect(first).toContain('ok');
    expect(first).toContain('down');
    expect(await pattern()).toEqual(first);

    const { bank } = await start({ behaviour: { latencyMs: [0, 0] } });
    expect((await setBehaviour(bank, { timeoutRate: 2 })).status).toBe(400);
    expect((await setBehaviour(bank, { timeoutrate: 0 } as never)).status).toBe(400);
    expect((await setBehaviour(bank, { settleDelayMs: 10 })).body).toMatchObject({ settleDelayMs: 10, latencyMs: [5, 30] });
    expect(bank.config.settleDelayMs).toBe(10);
    const locked = await start({ admin: false });
    expect((await setBehaviour(locked.bank, { timeoutRate: 1 })).status).toBe(404);
  });
});
