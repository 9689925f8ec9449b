import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import {
  BankUnavailableError,
  PaymentRejectedError,
  type PaymentGateway,
  type PaymentOrder,
  type PaymentStatus,
  type StatementLine,
} from '../../src/activities/bank/payment-gateway';
import { DEMO_JURISDICTIONS } from '../../src/directory/demo-directory';
import { upsertJurisdictions } from '../../src/directory/directory';
import type { EventStore } from '../../src/store/event-store';
import { fundDecider } from '../../src/domain/funds/fund';
import { createEventStore } from '../../src/store/create-event-store';
import { handle } from '../../src/store/handle';
import { createWorker } from '../../src/worker/create-worker';
import { decideDisbursementUpdate, disbursement, recordedUpdate } from '../../src/workflows/disbursement';
import { reconciliation, reconciliationWorkflowId } from '../../src/workflows/reconciliation';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { COUNTY, townOfficial } from '../support/fixtures';
import { householdPayoutRequest } from '../support/payout-request';
import { testPayloadKeys, testWorkflowBundle, timeSkippingEnvironment, uniqueQueue } from '../support/temporal';

/**
 * The bank, the one thing outside the system, stood in for at its interface (PaymentGateway);
 * every activity and the store are the real ones. Each test says how the bank behaves.
 */
class ScriptedBank implements PaymentGateway {
  readonly payments = new Map<string, { order: PaymentOrder; status: PaymentStatus; polls: number }>();
  /** Status queries answered `pending` before a payment settles. */
  pendingPolls = 0;
  /** Accounts the bank refuses orders to (4xx). */
  readonly refusing = new Set<string>();
  /** Statement requests answered 503 before one is served. */
  statementOutages = 0;
  statementCalls = 0;
  readonly extraLines: (StatementLine & { account: string; date: string })[] = [];

  async send(order: PaymentOrder): Promise<PaymentStatus> {
    if (this.refusing.has(order.toAccount)) throw new PaymentRejectedError('account closed', 422, 'account_closed');
    const known = this.payments.get(order.idempotencyKey);
    if (known) return known.status;
    this.payments.set(order.idempotencyKey, { order, status: { status: 'pending' }, polls: 0 });
    return { status: 'pending' };
  }

  async status(key: string): Promise<PaymentStatus | undefined> {
    const p = this.payments.get(key);
    if (!p) return undefined;
    if (p.status.status === 'pending' && ++p.polls > this.pendingPolls) {
      p.status = { status: 'settled', settledAt: new Date().toISOString(), paymentId: `pay-${key}` };
    }
    return p.status;
  }

  async statement(account: string, date: string): Promise<StatementLine[]> {
    this.statementCalls++;
    if (this.statementOutages > 0) {
      this.statementOutages--;
      throw new BankUnavailableError('503 from the bank', 503);
    }
    const settled = [...this.payments.values()].flatMap(({ order, status }) =>
      status.status === 'settled' && order.fromAccount === account && status.settledAt.startsWith(date)
        ? [
            {
              paymentId: status.paymentId,
              idempotencyKey: order.idempotencyKey,
              reference: order.reference,
              toAccount: order.toAccount,
              amountFen: order.amountFen,
              settledAt: status.settledAt,
            },
          ]
        : [],
    );
    return [...settled, ...this.extraLines.filter((l) => l.account === account && l.date === date)];
  }
}

describe('disbursement and reconciliation on the time-skipping server (real activities and Postgres, a scripted bank)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let store: EventStore;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  const bank = new ScriptedBank();

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = await createTestDatabase();
    await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
    store = createEventStore(db.pool);
    taskQueue = uniqueQueue('funds');
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      pool: db.pool,
      bank,
      payloadKeys: testPayloadKeys(),
      workflowBundlePath: testWorkflowBundle(),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });
  beforeEach(() => {
    bank.pendingPolls = 0;
    bank.statementOutages = 0;
    bank.statementCalls = 0;
  });

  /** A fund of its own per test (the books of one test do not mix with another's). */
  async function openFund(depositFen: number): Promise<{ fundId: string; account: string }> {
    const fundId = `fund-${randomUUID()}`;
    const account = `6228${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
    await handle(
      store,
      fundId,
      fundDecider,
      { type: 'Open', fundId, name: 'Test fund', jurisdiction: COUNTY, account },
      { actor: 'fund-manager', idempotencyKey: () => `${fundId}#open` },
    );
    await handle(
      store,
      fundId,
      fundDecider,
      { type: 'Deposit', amountFen: depositFen, source: 'budget', reference: 'test deposit' },
      { actor: 'fund-manager', idempotencyKey: () => `deposit:${fundId}` },
    );
    return { fundId, account };
  }

  /** Requests a payout and has the town approve it; returns the workflow's handle. */
  async function requestAndApprove(fund: { fundId: string; account: string }, amountFen: number, payeeAccount = '6228480011112222') {
    const request = householdPayoutRequest(fund, { amountFen, approvals: ['town'], payeeAccount });
    const handle = await env.client.workflow.start(disbursement, { taskQueue, workflowId: request.disbursementId, args: [{ request }] });
    await handle.executeUpdate(recordedUpdate);
    await handle.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: townOfficial }] });
    return handle;
  }

  const balances = async (fundId: string) =>
    (await db.pool.query('SELECT deposited::int, available::int, reserved::int, paid::int FROM fund_balances WHERE fund_id = $1', [fundId])).rows[0];
  const eventTypes = async (id: string) => (await store.readStream(id)).map((e) => e.type);

  it('pays: reserve, send, confirm; the books move the amount from available to paid', async () => {
    const fund = await openFund(1_000_000);
    const handle = await requestAndApprove(fund, 150_000);
    expect(await handle.result()).toMatchObject({ status: 'paid', paymentId: expect.stringMatching(/^pay-/) });
    expect(await eventTypes(handle.workflowId)).toEqual(['DisbursementRequested', 'DisbursementApproved', 'FundsReserved', 'PaymentSent', 'PaymentConfirmed']);
    expect(await balances(fund.fundId)).toEqual({ deposited: 1_000_000, available: 850_000, reserved: 0, paid: 150_000 });
    // The bank got the account in the clear, and the order once.
    expect(bank.payments.get(handle.workflowId)?.order).toMatchObject({ toAccount: '6228480011112222', amountFen: 150_000, fromAccount: fund.account });
  });

  it('the bank refuses the order: the disbursement fails and its reservation is released', async () => {
    const fund = await openFund(1_000_000);
    bank.refusing.add('6228480000000000');
    const handle = await requestAndApprove(fund, 120_000, '6228480000000000');
    expect(await handle.result()).toMatchObject({ status: 'failed', reason: 'the bank refused the order' });
    expect(await eventTypes(handle.workflowId)).toEqual([
      'DisbursementRequested',
      'DisbursementApproved',
      'FundsReserved',
      'PaymentSent',
      'PaymentFailed',
      'ReservationReleased',
    ]);
    expect(await balances(fund.fundId)).toEqual({ deposited: 1_000_000, available: 1_000_000, reserved: 0, paid: 0 });
  });

  it('too little in the fund: the disbursement is refused, nothing is reserved and the bank never hears of it', async () => {
    const fund = await openFund(100_000);
    const handle = await requestAndApprove(fund, 150_000);
    expect(await handle.result()).toMatchObject({ status: 'refused', reason: 'the fund has too little available' });
    expect(await eventTypes(handle.workflowId)).toEqual(['DisbursementRequested', 'DisbursementApproved', 'DisbursementRefused']);
    expect(await balances(fund.fundId)).toEqual({ deposited: 100_000, available: 100_000, reserved: 0, paid: 0 });
    expect(bank.payments.has(handle.workflowId)).toBe(false);
  });

  it('a slow bank: the status is polled on durable timers, backing off to 10 s, over skipped time', async () => {
    const fund = await openFund(1_000_000);
    bank.pendingPolls = 7;
    const handle = await requestAndApprove(fund, 90_000);
    expect(await handle.result()).toMatchObject({ status: 'paid' });
    expect(bank.payments.get(handle.workflowId)?.polls).toBe(8);
    const history = await handle.fetchHistory();
    const seconds = (d?: { seconds?: unknown; nanos?: number | null } | null) => Number(String(d?.seconds ?? 0)) + (d?.nanos ?? 0) / 1e9;
    const timers = (history.events ?? []).flatMap((e) => (e.timerStartedEventAttributes ? [seconds(e.timerStartedEventAttributes.startToFireTimeout)] : []));
    expect(timers).toEqual([0.5, 1, 2, 4, 8, 10, 10, 10]);
    expect(history.events?.filter((e) => e.timerFiredEventAttributes)).toHaveLength(8);
  });

  describe('reconciliation', () => {
    async function paidDay(): Promise<{ fund: { fundId: string; account: string }; date: string; disbursementId: string }> {
      const fund = await openFund(1_000_000);
      const handle = await requestAndApprove(fund, 70_000);
      expect(await handle.result()).toMatchObject({ status: 'paid' });
      const settled = bank.payments.get(handle.workflowId)?.status as { settledAt: string };
      return { fund, date: settled.settledAt.slice(0, 10), disbursementId: handle.workflowId };
    }
    const reconcile = (fundId: string, date: string, patient?: boolean) =>
      env.client.workflow.execute(reconciliation, {
        taskQueue,
        workflowId: `${reconciliationWorkflowId(fundId, date)}-${randomUUID()}`,
        args: [{ fundId, date, requestedBy: 'fund-manager', patient }],
      });

    it('matches a day the bank and the books agree on, and finds a bank line the books do not have', async () => {
      const { fund, date } = await paidDay();
      expect(await reconcile(fund.fundId, date)).toMatchObject({ fundId: fund.fundId, date, matched: 1, mismatches: [], bankLines: 1, bookedPayouts: 1 });
      bank.extraLines.push({
        account: fund.account,
        date,
        paymentId: 'pay-ghost',
        idempotencyKey: 'not-ours',
        reference: 'not ours',
        toAccount: '6228480099990001',
        amountFen: 12_300,
        settledAt: `${date}T12:00:00Z`,
      });
      const r = await reconcile(fund.fundId, date);
      expect(r).toMatchObject({
        matched: 1,
        bankLines: 2,
        mismatches: [{ kind: 'missing_in_books', key: 'not-ours', booksAmountFen: null, bankAmountsFen: [12_300], toAccountsMasked: ['****0001'] }],
      });
      const events = await store.readStream(`recon-${fund.fundId}-${date}`);
      expect(events.map((e) => e.type)).toContain('MismatchFound');
    });

    it('a scheduled (patient) run waits out a bank outage on its retry timers, over skipped time', async () => {
      const { fund, date } = await paidDay();
      bank.statementOutages = 4; // retried after 5, 10, 20 and 40 s of workflow time
      expect(await reconcile(fund.fundId, date, true)).toMatchObject({ matched: 1, mismatches: [] });
      expect(bank.statementCalls).toBe(5);
    });

    it('a run someone waits for gives up after five tries', async () => {
      const { fund, date } = await paidDay();
      bank.statementOutages = 100;
      const err = await reconcile(fund.fundId, date).catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(bank.statementCalls).toBe(5);
    });
  });
});
