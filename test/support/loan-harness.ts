import { createHash, randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import {
  PaymentRejectedError,
  type PaymentGateway,
  type PaymentOrder,
  type PaymentStatus,
  type StatementLine,
} from '../../src/activities/bank/payment-gateway';
import { sealAccount } from '../../src/crypto/sealed-field';
import { DEMO_JURISDICTIONS } from '../../src/directory/demo-directory';
import { upsertJurisdictions } from '../../src/directory/directory';
import { fundDecider } from '../../src/domain/funds/fund';
import { locationOf } from '../../src/domain/jurisdiction';
import type { BatchHousehold } from '../../src/domain/loans/events';
import type { LoanState } from '../../src/domain/loans/loan';
import { schemeDecider } from '../../src/domain/loans/scheme';
import { SEED_INSTALMENTS, type LoanTerms } from '../../src/domain/loans/terms';
import type { Actor } from '../../src/domain/roles';
import { STREAM_ID } from '../../src/domain/streams';
import { createEventStore } from '../../src/store/create-event-store';
import type { EventStore } from '../../src/store/event-store';
import { handle } from '../../src/store/handle';
import { createWorker } from '../../src/worker/create-worker';
import { decideDisbursementUpdate, disbursementStateQuery } from '../../src/workflows/disbursement';
import { loanBatch, loanIdsOf } from '../../src/workflows/loan-batch';
import { loanBatchQuery, loanBatchWorkflowId, loanQuery, loanWorkflowId, signAgreementUpdate, type LoanBatchView } from '../../src/workflows/loan-messages';
import { waitFor } from './case-harness';
import { createTestDatabase, type TestDatabase } from './db';
import { COUNTY, TOWN, VILLAGE } from './fixtures';
import { testPayloadKeys, testWorkflowBundle, timeSkippingEnvironment, uniqueQueue } from './temporal';

export const DAY_MS = 86_400_000;
export const AMOUNT_FEN = 110_000;
export const AGREEMENT_TEXT = '耕牛借款协议 Cattle loan agreement (synthetic test text): the household repays the loan on the schedule.';
export const AGREEMENT_HASH = createHash('sha256').update(AGREEMENT_TEXT).digest('hex');

export const SEED_TERMS: LoanTerms = {
  amountFen: AMOUNT_FEN,
  instalments: SEED_INSTALMENTS,
  graceDays: 0,
  inKindAllowed: true,
  agreement: { version: 1, text: AGREEMENT_TEXT, hash: AGREEMENT_HASH },
};

const official = (userId: string, role: Actor['role'], jurisdiction: string): Actor => ({ userId, role, jurisdiction });
export const OFFICIALS = {
  village: official('village-shiban', 'village_official', VILLAGE),
  village2: official('village-shiban-2', 'village_official', VILLAGE),
  town: official('town-heping', 'town_official', TOWN),
  county: official('county-office', 'county_official', COUNTY),
  county2: official('county-office-2', 'county_official', COUNTY),
};

/**
 * The bank, the one thing outside the system, at its interface: an order settles at once, on
 * the test server's (skipped) clock, unless its account is one the bank refuses.
 */
export class ClockBank implements PaymentGateway {
  readonly payments = new Map<string, { order: PaymentOrder; status: PaymentStatus }>();
  readonly refusing = new Set<string>();
  constructor(private readonly now: () => Promise<number>) {}

  async send(order: PaymentOrder): Promise<PaymentStatus> {
    if (this.refusing.has(order.toAccount)) throw new PaymentRejectedError('account closed', 422, 'account_closed');
    const known = this.payments.get(order.idempotencyKey);
    if (known) return known.status;
    const status: PaymentStatus = { status: 'settled', settledAt: new Date(await this.now()).toISOString(), paymentId: `pay-${order.idempotencyKey}` };
    this.payments.set(order.idempotencyKey, { order, status });
    return status;
  }
  async status(key: string): Promise<PaymentStatus | undefined> {
    return this.payments.get(key)?.status;
  }
  async statement(): Promise<StatementLine[]> {
    return [];
  }
}

export interface LoanHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  store: EventStore;
  bank: ClockBank;
  taskQueue: string;
  close(): Promise<void>;
}

/** The time-skipping server, a fresh database, the real worker (every activity), the bank scripted. */
export async function loanHarness(slots?: { workflowTaskSlots: number; activitySlots: number }): Promise<LoanHarness> {
  const env = await timeSkippingEnvironment();
  const db = await createTestDatabase();
  await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
  const store = createEventStore(db.pool);
  const bank = new ClockBank(() => env.currentTimeMs());
  const taskQueue = uniqueQueue('loans');
  const worker: Worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    pool: db.pool,
    bank,
    payloadKeys: testPayloadKeys(),
    workflowBundlePath: testWorkflowBundle(),
    ...(slots ? { slots } : {}),
  });
  const running = worker.run();
  return {
    env,
    db,
    store,
    bank,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
}

/** Moves the test server's clock to the start (00:00 UTC) of `day` plus `hours`, firing every timer on the way. */
export async function advanceTo(h: LoanHarness, day: string, hours = 12): Promise<void> {
  const target = Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000;
  const now = await h.env.currentTimeMs();
  if (target > now) await h.env.sleep(target - now);
}

export const today = async (h: LoanHarness) => new Date(await h.env.currentTimeMs()).toISOString().slice(0, 10);

/** A pool: a special fund of the county with staff donations and office funds. */
export async function openPool(h: LoanHarness, donationsFen: number, officeFundsFen: number): Promise<{ fundId: string; account: string }> {
  const fundId = `fund-${randomUUID()}`;
  const account = `9999${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  const opts = (key: string) => ({ actor: 'fund-manager', idempotencyKey: () => key });
  await handle(h.store, fundId, fundDecider, { type: 'Open', fundId, name: 'Cattle loan pool', jurisdiction: COUNTY, account }, opts(`${fundId}#open`));
  await handle(
    h.store,
    fundId,
    fundDecider,
    { type: 'Deposit', amountFen: donationsFen, source: 'donation', reference: 'staff donations' },
    opts(`${fundId}:d`),
  );
  await handle(h.store, fundId, fundDecider, { type: 'Deposit', amountFen: officeFundsFen, source: 'budget', reference: 'office funds' }, opts(`${fundId}:b`));
  return { fundId, account };
}

export async function createScheme(h: LoanHarness, fundId: string, terms: LoanTerms = SEED_TERMS): Promise<string> {
  const schemeId = `scheme-${randomUUID()}`;
  await handle(
    h.store,
    STREAM_ID.scheme(schemeId),
    schemeDecider,
    {
      type: 'CreateScheme',
      schemeId,
      name: 'Cattle loans (synthetic)',
      fundId,
      county: COUNTY,
      eligibleVillages: [VILLAGE],
      writeOffBarYears: 3,
      terms,
      actor: OFFICIALS.county,
    },
    { actor: OFFICIALS.county.userId, idempotencyKey: () => `${schemeId}#create` },
  );
  return schemeId;
}

let accountSerial = Math.floor(Math.random() * 1e6) * 1000;
/**
 * Enrolled households with registered (sealed) accounts, written as the case projections hold
 * them: the payout activity reads exactly these rows. (Enrolling hundreds through the case
 * workflow is another test's subject.)
 */
export async function enrolledHouseholds(h: LoanHarness, n: number, village = VILLAGE): Promise<(BatchHousehold & { account: string })[]> {
  const out: (BatchHousehold & { account: string })[] = [];
  for (let i = 0; i < n; i++) {
    const householdId = `hh-${randomUUID()}`;
    const caseId = `case-${randomUUID()}`;
    const account = `9999${String(++accountSerial).padStart(12, '0')}`;
    const location = locationOf(village);
    const state = {
      caseId,
      householdId,
      location,
      household: {
        bankAccount: { bank: 'Synthetic Test Bank', accountNumber: sealAccount(testPayloadKeys(), account), accountMasked: `****${account.slice(-4)}` },
      },
    };
    await h.db.pool.query(
      `INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state, household_hash, opened_at, stage_entered_at, version, updated_at)
       VALUES ($1, $2, 'on-behalf:village-shiban', $3, $4, $5, 'closed', 'enrolled', '{}', $6, $7, now(), now(), 1, now())`,
      [caseId, householdId, location.county, location.town, location.village, JSON.stringify(state), householdId],
    );
    await h.db.pool.query(
      `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at) VALUES ($1, $2, '[]', '{}', 'enrolled', $3, now())`,
      [householdId, village, caseId],
    );
    out.push({ householdId, location, account });
  }
  return out;
}

/** The fund's balances row (the pool's books), in fen. */
export async function poolBalances(h: LoanHarness, fundId: string) {
  const r = await h.db.pool.query(
    `SELECT deposited::bigint AS deposited, available::bigint AS available, reserved::bigint AS reserved, paid::bigint AS paid, lent::bigint AS lent,
            recovered_cash::bigint AS recovered_cash, in_kind::bigint AS in_kind, written_off::bigint AS written_off, receivable::bigint AS receivable
     FROM fund_balances WHERE fund_id = $1`,
    [fundId],
  );
  return Object.fromEntries(Object.entries(r.rows[0]).map(([k, v]) => [k, Number(v)])) as Record<
    'deposited' | 'available' | 'reserved' | 'paid' | 'lent' | 'recovered_cash' | 'in_kind' | 'written_off' | 'receivable',
    number
  >;
}

/** ProposeBatch on the scheme's stream, as the API does it: the pool's cash now is the fund's available balance. */
export async function proposeBatch(h: LoanHarness, schemeId: string, fundId: string, households: BatchHousehold[]): Promise<string> {
  const batchId = `batch-${randomUUID()}`;
  const day = await today(h);
  const poolCashFen = (await poolBalances(h, fundId)).available;
  await handle(
    h.store,
    STREAM_ID.scheme(schemeId),
    schemeDecider,
    {
      type: 'ProposeBatch',
      batchId,
      households,
      eligibility: households.map((x) => ({ householdId: x.householdId, enrolled: true, village: x.location.village, hasActiveLoan: false, today: day })),
      poolCashFen,
      actor: OFFICIALS.county,
    },
    { actor: OFFICIALS.county.userId, idempotencyKey: () => `${batchId}#proposed` },
  );
  return batchId;
}

export async function startBatch(
  h: LoanHarness,
  p: { batchId: string; schemeId: string; fund: { fundId: string; account: string }; cycle: number; households: BatchHousehold[] },
) {
  return h.env.client.workflow.start(loanBatch, {
    taskQueue: h.taskQueue,
    workflowId: loanBatchWorkflowId(p.batchId),
    args: [
      {
        batchId: p.batchId,
        schemeId: p.schemeId,
        fundId: p.fund.fundId,
        fundAccount: p.fund.account,
        cycle: p.cycle,
        termsVersion: 1,
        terms: SEED_TERMS,
        households: p.households.map(({ householdId, location }) => ({ householdId, location })),
        publicityPeriod: 'P7D',
        signingPeriod: 'P14D',
        proposedBy: OFFICIALS.county.userId,
      },
    ],
  });
}

export const batchView = async (h: LoanHarness, batchId: string) =>
  (await h.env.client.workflow.getHandle(loanBatchWorkflowId(batchId)).query(loanBatchQuery)) as LoanBatchView;

export async function untilBatchStatus(h: LoanHarness, batchId: string, status: LoanBatchView['status']): Promise<LoanBatchView> {
  await waitFor(async () => (await batchView(h, batchId).catch(() => undefined))?.status === status, 60_000);
  return batchView(h, batchId);
}

/** Every household still in the batch signs in person (Updates, in parallel). */
export async function signAll(h: LoanHarness, batchId: string, householdIds: string[]): Promise<void> {
  const wf = h.env.client.workflow.getHandle(loanBatchWorkflowId(batchId));
  await inParallel(householdIds, 16, (householdId) =>
    wf.executeUpdate(signAgreementUpdate, {
      args: [
        {
          householdId,
          method: 'in_person',
          agreementHash: AGREEMENT_HASH,
          actor: { userId: `applicant-${householdId}`, role: 'applicant', jurisdiction: VILLAGE },
        },
      ],
    }),
  );
}

/** The town approves the payout of each of the batch's first `count` loans (one Update each, in parallel). */
export async function approvePayouts(h: LoanHarness, batchId: string, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => loanIdsOf(batchId, i + 1).disbursementId);
  await inParallel(ids, 16, async (id) => {
    const wf = h.env.client.workflow.getHandle(id);
    await waitFor(async () => (await wf.query(disbursementStateQuery).catch(() => undefined))?.status === 'awaiting_approval', 60_000);
    await wf.executeUpdate(decideDisbursementUpdate, { args: [{ type: 'Approve', actor: OFFICIALS.town }] });
  });
}

/**
 * Waits for a workflow to close by polling in real time. Not `handle.result()`: awaiting a result
 * lets the time-skipping server skip time, and between two activities with no timer pending it
 * skips to the far end (ten years on), which would move every other loan's clock with it.
 */
export async function untilClosed(h: LoanHarness, workflowId: string, timeoutMs = 60_000): Promise<void> {
  const wf = h.env.client.workflow.getHandle(workflowId);
  await waitFor(async () => (await wf.describe()).status.name !== 'RUNNING', timeoutMs);
}

export const loanHandle = (h: LoanHarness, loanId: string) => h.env.client.workflow.getHandle(loanWorkflowId(loanId));
export const loanState = async (h: LoanHarness, loanId: string) => (await loanHandle(h, loanId).query(loanQuery)) as LoanState;

export async function inParallel<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, run));
  return results;
}

/**
 * One enrolled household's loan, taken through a batch of its own (publicity, signature, a
 * town-approved payout) from 1 March 2027: returns the loan's id once its workflow runs.
 */
export async function onePaidLoan(h: LoanHarness, fund: { fundId: string; account: string }): Promise<string> {
  await advanceTo(h, '2027-03-01', 9);
  const schemeId = await createScheme(h, fund.fundId);
  const hh = await enrolledHouseholds(h, 1);
  const batchId = await proposeBatch(h, schemeId, fund.fundId, hh);
  const wf = await startBatch(h, { batchId, schemeId, fund, cycle: 1, households: hh });
  await untilBatchStatus(h, batchId, 'publicity');
  await advanceTo(h, '2027-03-09');
  await untilBatchStatus(h, batchId, 'signing');
  await signAll(h, batchId, [hh[0].householdId]);
  await advanceTo(h, '2027-03-25');
  await untilBatchStatus(h, batchId, 'paying');
  await approvePayouts(h, batchId, 1);
  await untilClosed(h, wf.workflowId);
  return loanIdsOf(batchId, 1).loanId;
}
