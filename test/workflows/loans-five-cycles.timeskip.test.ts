/**
 * Issue #10's "done when": the seed scheme for five cycles on the time-skipping server, with
 * the real workflows, activities and Postgres (the bank scripted). 80 households of 1,100 yuan;
 * 50% due by 31 December of the payout year and the rest by the end of the second; a few late
 * payers in every cycle; in the first, one animal death written off and one illness deferred.
 * Each year the next batch is as large as the cash actually recovered allows, never larger.
 */
import { bucketOf, daysPastDue } from '../../src/domain/loans/delinquency';
import { InsufficientPoolCashError } from '../../src/domain/loans/scheme';
import type { DelinquencyBucket } from '../../src/domain/loans/terms';
import { loanIdsOf } from '../../src/workflows/loan-batch';
import { decideHardshipUpdate, recordRepaymentUpdate, reportHardshipUpdate } from '../../src/workflows/loan-messages';
import {
  advanceTo,
  AMOUNT_FEN,
  approvePayouts,
  createScheme,
  enrolledHouseholds,
  inParallel,
  loanHandle,
  loanHarness,
  loanState,
  OFFICIALS,
  openPool,
  poolBalances,
  proposeBatch,
  signAll,
  startBatch,
  untilBatchStatus,
  untilClosed,
  type LoanHarness,
} from '../support/loan-harness';

const HALF = AMOUNT_FEN / 2;
const FIRST_YEAR = 2027;
const CYCLES = 5;

interface Planned {
  loanId: string;
  day: string;
  amountFen: number;
}

describe('the seed scheme for five cycles (time-skipping; real activities on Postgres)', () => {
  let h: LoanHarness;
  beforeAll(async () => {
    h = await loanHarness({ workflowTaskSlots: 16, activitySlots: 32 });
  }, 180_000);
  afterAll(() => h?.close());

  it('each batch is sized from the cash recovered; the books balance at every year end; the buckets on given days', async () => {
    const started = Date.now();
    await advanceTo(h, `${FIRST_YEAR}-02-01`);
    const fund = await openPool(h, 3_000_000, 5_800_000); // staff donations and office funds: 80 loans
    const schemeId = await createScheme(h, fund.fundId);
    const planned: Planned[] = [];
    const active = new Set<string>();
    /** Cash by the test's own count: contributions, less payouts, plus every cash repayment it made. */
    let cashModel = 8_800_000;
    const sizes: number[] = [];
    const bucketsSeen: Record<string, Partial<Record<DelinquencyBucket, number>>> = {};

    const payDue = async (day: string) => {
      const due = planned.filter((p) => p.day === day);
      // A few at a time: every repayment moves the one fund stream, and more writers only collide.
      await inParallel(due, 4, (p) =>
        loanHandle(h, p.loanId).executeUpdate(recordRepaymentUpdate, {
          args: [
            { repaymentId: `${p.loanId}:${day}`, amountFen: p.amountFen, method: 'cash', reference: `R-${day}`, receivedOn: day, actor: OFFICIALS.village },
          ],
          updateId: `repay:${p.loanId}:${day}`,
        }),
      );
      cashModel += due.reduce((sum, p) => sum + p.amountFen, 0);
    };
    const buckets = async (day: string) => {
      const counts: Partial<Record<DelinquencyBucket, number>> = {};
      const states = await inParallel([...active], 16, (id) => loanState(h, id));
      for (const s of states) {
        if (s.status !== 'active') {
          active.delete(s.loanId);
          continue;
        }
        const b = bucketOf(daysPastDue(s, day));
        counts[b] = (counts[b] ?? 0) + 1;
      }
      bucketsSeen[day] = counts;
      return counts;
    };
    const yearEndBooks = async (year: number) => {
      const b = await poolBalances(h, fund.fundId);
      expect(b.available).toBe(cashModel);
      // cash + loans receivable + in kind + written off = contributions
      expect(b.available + b.reserved + b.receivable + b.in_kind + b.written_off).toBe(b.deposited);
      expect(b.deposited).toBe(8_800_000);
      return { year, ...b };
    };
    const books: unknown[] = [];

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const year = FIRST_YEAR + cycle - 1;
      await advanceTo(h, `${year}-03-01`);

      // The batch is what the cash allows: recovered money, never money still owed.
      const { available, receivable } = await poolBalances(h, fund.fundId);
      expect(available).toBe(cashModel);
      if (cycle > 1) expect(receivable).toBeGreaterThan(0); // money still owed, which no batch may count
      const size = Math.floor(available / AMOUNT_FEN);
      if (cycle === 1) expect(size).toBe(80);
      if (cycle === 2) expect(size).toBe(39); // 78 first halves came back (one written off, one deferred)
      const households = await enrolledHouseholds(h, size + 1);
      const tooLarge = await proposeBatch(h, schemeId, fund.fundId, households).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(tooLarge).toBeInstanceOf(InsufficientPoolCashError); // one household more than the cash
      expect((tooLarge as InsufficientPoolCashError).maxHouseholds).toBe(size);
      const batchHouseholds = households.slice(0, size);
      const batchId = await proposeBatch(h, schemeId, fund.fundId, batchHouseholds);
      const wf = await startBatch(h, { batchId, schemeId, fund, cycle, households: batchHouseholds });
      await untilBatchStatus(h, batchId, 'publicity');
      await advanceTo(h, `${year}-03-09`);
      await untilBatchStatus(h, batchId, 'signing');
      await signAll(
        h,
        batchId,
        batchHouseholds.map((x) => x.householdId),
      );
      await untilBatchStatus(h, batchId, 'paying');
      await approvePayouts(h, batchId, size);
      await untilClosed(h, wf.workflowId, 300_000);
      expect(await wf.result()).toMatchObject({ status: 'completed', loansPaid: size, paidFen: size * AMOUNT_FEN });
      sizes.push(size);
      cashModel -= size * AMOUNT_FEN;

      // Each loan's plan: on time on 15 November, except the late payers (loans 2-4 of each cycle).
      for (let n = 1; n <= size; n++) {
        const { loanId } = loanIdsOf(batchId, n);
        active.add(loanId);
        if (cycle === 1 && n === 79) continue; // the cow dies: written off below
        const deferred = cycle === 1 && n === 80; // illness: everything a year later
        const first = deferred ? `${year + 1}-11-15` : n === 2 || n === 3 ? `${year + 1}-01-20` : n === 4 ? `${year + 1}-02-20` : `${year}-11-15`;
        planned.push({ loanId, day: first, amountFen: HALF }, { loanId, day: `${year + (deferred ? 2 : 1)}-11-15`, amountFen: HALF });
      }
      if (cycle === 1) {
        await advanceTo(h, `${year}-06-10`);
        const died = loanHandle(h, loanIdsOf(batchId, 79).loanId);
        await died.executeUpdate(reportHardshipUpdate, {
          args: [
            {
              hardshipId: 'hs-died',
              cause: 'animal_died',
              evidenceHash: 'b'.repeat(64),
              proposal: 'write_off',
              note: 'veterinary certificate',
              actor: OFFICIALS.village,
            },
          ],
        });
        for (const actor of [OFFICIALS.county, OFFICIALS.county2])
          await died.executeUpdate(decideHardshipUpdate, { args: [{ hardshipId: 'hs-died', approve: true, reason: 'certificate seen', actor }] });
        const ill = loanHandle(h, loanIdsOf(batchId, 80).loanId);
        await ill.executeUpdate(reportHardshipUpdate, {
          args: [{ hardshipId: 'hs-ill', cause: 'illness', proposal: 'deferral', deferMonths: 12, note: 'in hospital', actor: OFFICIALS.village }],
        });
        const deferred = await ill.executeUpdate(decideHardshipUpdate, {
          args: [{ hardshipId: 'hs-ill', approve: true, reason: 'confirmed', actor: OFFICIALS.town }],
        });
        expect(deferred.schedule.map((i) => i.dueDate)).toEqual([`${year + 1}-12-31`, `${year + 2}-12-31`]);
      }

      await advanceTo(h, `${year}-11-15`);
      await payDue(`${year}-11-15`);
      await advanceTo(h, `${year}-12-31`, 23);
      books.push(await yearEndBooks(year));
      if (cycle === CYCLES) break;

      // The late payers, on given days: 10 days late, then one of them 46 days late.
      await advanceTo(h, `${year + 1}-01-10`);
      expect(await buckets(`${year + 1}-01-10`)).toEqual({ current: active.size - 3, '1-30': 3 });
      await advanceTo(h, `${year + 1}-01-20`);
      await payDue(`${year + 1}-01-20`);
      await advanceTo(h, `${year + 1}-02-15`);
      expect(await buckets(`${year + 1}-02-15`)).toEqual({ current: active.size - 1, '31-60': 1 });
      await advanceTo(h, `${year + 1}-02-20`);
      await payDue(`${year + 1}-02-20`);
    }

    // Recovered money alone funded every batch after the first: its size is the cash the
    // test itself counted back in, divided by the loan amount (checked above, each year).
    // With this plan: 80, then 39 (78 first halves back), 59, 49, 54.
    expect(sizes).toEqual([80, 39, 59, 49, 54]);
    const wallSeconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(
      `five cycles: batch sizes ${sizes.join(', ')} (${sizes.reduce((a, b) => a + b, 0)} loans); buckets ${JSON.stringify(bucketsSeen)}; books ${JSON.stringify(books)}; wall time ${wallSeconds} s\n`,
    );
  }, 2_400_000);
});
