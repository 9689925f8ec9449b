import type { BatchHousehold, LoanEvent } from '../../src/domain/loans/events';
import { locationOf } from '../../src/domain/jurisdiction';
import type { Queryable } from '../../src/store/db';
import { createEventStore } from '../../src/store/create-event-store';
import { batchesOfScheme, getBatch, getScheme, listSchemes, schemeOfFund, schemeSummary } from '../../src/store/projections/loan-schemes-queries';
import { bucketOf, getLoan, householdLoanFacts, listLoans, overdueLoansByVillage, repaymentsCsvRows } from '../../src/store/projections/loans-queries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import {
  COUNTY,
  FAR_VILLAGE,
  OTHER_TOWN,
  OTHER_VILLAGE,
  SEED_TERMS,
  TOWN,
  VILLAGE,
  createScheme,
  loanAppender,
  loanOpened,
  openPool,
  repaid,
  seedJurisdictions,
  seedSchedule,
  type LoanAppender,
} from '../support/loan-store';

const SCHEME = 'scheme-q';
const FUND = 'fund-q';
const loanId = (n: number) => `loan-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const hh = (n: number) => `hh-${n}`;
const disbursed: LoanEvent = { type: 'LoanDisbursed', data: { paidOn: '2026-03-01', schedule: seedSchedule() } };
const closed = (on: string, how: 'repaid' | 'written_off'): LoanEvent => ({ type: 'LoanClosed', data: { closedOn: on, how } });

/**
 * A small portfolio, figures worked by hand. Every loan is 110,000 fen paid on 2026-03-01:
 * 55,000 due 2026-12-31 and 55,000 due 2027-12-31.
 *   L1 village        grace 0   repaid 55,000 cash                → next unpaid 2027-12-31
 *   L2 village        grace 0   repaid 20,000 (and 30,000 reversed) → unpaid since 2026-12-31
 *   L3 other village  grace 10  nothing repaid                    → unpaid since 2026-12-31
 *   L4 far village    grace 0   repaid in full, closed
 *   L5 far village    grace 0   written off, closed 2027-01-20
 *   L6 village        grace 0   a calf worth 55,000 (in kind)     → next unpaid 2027-12-31
 *   L7 village        batch 2, awaiting its payout (pending)
 *   L8 village        payout failed (cancelled)
 */
describe('loan queries on a hand-computed portfolio', () => {
  let db: TestDatabase;
  let a: LoanAppender;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedJurisdictions(db.pool);
    a = loanAppender(createEventStore(db.pool));
    await openPool(a, FUND, 1_000_000);
    await createScheme(a, SCHEME, FUND);

    const at = (village: string, ...ns: number[]): BatchHousehold[] => ns.map((n) => ({ householdId: hh(n), location: locationOf(village) }));
    const batchOne = [...at(VILLAGE, 1, 2, 6, 8, 9, 11), ...at(OTHER_VILLAGE, 3), ...at(FAR_VILLAGE, 4, 5)];
    await a.scheme(SCHEME, {
      type: 'BatchProposed',
      data: { batchId: 'batch-1', cycle: 1, termsVersion: 1, households: 9, claimFen: 990_000, proposedBy: 'u-county' },
    });
    await a.batch('batch-1', {
      type: 'BatchOpened',
      data: {
        batchId: 'batch-1',
        schemeId: SCHEME,
        fundId: FUND,
        cycle: 1,
        termsVersion: 1,
        terms: SEED_TERMS,
        households: batchOne,
        publicityEndsAt: '2026-02-08T00:00:00.000Z',
        proposedBy: 'u-county',
      },
    });
    await a.batch(
      'batch-1',
      { type: 'BatchObjectionRaised', data: { objectionId: 'obj-1', householdId: hh(9), raisedBy: 'u-neighbour', reason: 'not poor' } },
      {
        type: 'BatchObjectionResolved',
        data: { objectionId: 'obj-1', householdId: hh(9), substantiated: true, finding: 'owns a truck', resolvedBy: 'u-town' },
      },
      { type: 'BatchPublicityEnded', data: { households: 8 } },
    );
    for (const n of [1, 2, 3, 4, 5, 6, 8]) {
      await a.batch('batch-1', {
        type: 'AgreementSigned',
        data: { householdId: hh(n), method: 'in_person', signedBy: hh(n), agreementHash: 'a'.repeat(64), signedAt: '2026-02-10T00:00:00.000Z' },
      });
    }
    await a.batch('batch-1', { type: 'SigningClosed', data: { signed: 7, unsigned: [hh(11)] } });
    for (const n of [1, 2, 3, 4, 5, 6, 8]) {
      await a.batch('batch-1', { type: 'LoanIssued', data: { householdId: hh(n), loanId: loanId(n), disbursementId: `disb-${n}` } });
    }

    const village = { 1: VILLAGE, 2: VILLAGE, 3: OTHER_VILLAGE, 4: FAR_VILLAGE, 5: FAR_VILLAGE, 6: VILLAGE, 7: VILLAGE, 8: VILLAGE } as Record<number, string>;
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
      await a.loan(
        loanId(n),
        loanOpened({
          loanId: loanId(n),
          schemeId: SCHEME,
          batchId: n === 7 ? 'batch-2' : 'batch-1',
          fundId: FUND,
          householdId: hh(n),
          village: village[n],
          graceDays: n === 3 ? 10 : 0,
        }),
      );
      if (n === 7) continue;
      await a.fund(FUND, { type: 'Reserved', data: { disbursementId: `disb-${n}`, amountFen: 110_000 } });
      if (n === 8) {
        await a.fund(FUND, { type: 'Released', data: { disbursementId: `disb-${n}`, amountFen: 110_000 } });
        await a.loan(loanId(n), { type: 'LoanCancelled', data: { reason: 'account closed' } });
        continue;
      }
      await a.fund(FUND, { type: 'Paid', data: { disbursementId: `disb-${n}`, amountFen: 110_000, purpose: 'loan_principal', paymentId: `pay-${n}` } });
      await a.loan(loanId(n), disbursed);
    }
    await a.batch('batch-1', { type: 'BatchCompleted', data: { loansPaid: 6, paidFen: 660_000, failed: [hh(8)] } });
    await a.scheme(SCHEME, { type: 'BatchSettled', data: { batchId: 'batch-1', loansPaid: 6, paidFen: 660_000 } });

    const recover = (n: number, repaymentId: string, amountFen: number, method: 'cash' | 'in_kind' = 'cash') =>
      a.fund(FUND, { type: 'Recovered', data: { loanId: loanId(n), repaymentId, amountFen, method } });
    await a.loan(loanId(1), repaid('rp-1', 55_000, '2026-12-20'));
    await recover(1, 'rp-1', 55_000);
    await a.loan(loanId(2), repaid('rp-2', 20_000, '2026-11-05'), repaid('rp-2-typo', 30_000, '2026-11-06'));
    await recover(2, 'rp-2', 20_000);
    await recover(2, 'rp-2-typo', 30_000);
    await a.loan(loanId(2), {
      type: 'RepaymentReversed',
      data: { repaymentId: 'rp-2-typo', amountFen: 30_000, reason: 'entered on the wrong loan', reversedBy: 'u-town' },
    });
    await a.fund(FUND, { type: 'RecoveryReversed', data: { loanId: loanId(2), repaymentId: 'rp-2-typo', amountFen: 30_000, method: 'cash' } });
    await a.loan(loanId(4), repaid('rp-4', 110_000, '2026-06-01'), closed('2026-06-01', 'repaid'));
    await recover(4, 'rp-4', 110_000);
    await a.loan(
      loanId(5),
      { type: 'HardshipReported', data: { hardshipId: 'h-5', cause: 'animal_died', proposal: 'write_off', reportedBy: 'u-village', note: 'died' } },
      { type: 'WriteOffApproved', data: { hardshipId: 'h-5', approvedBy: 'u-county-1' } },
      { type: 'LoanWrittenOff', data: { hardshipId: 'h-5', amountFen: 110_000, approvers: ['u-county-1', 'u-county-2'] } },
      closed('2027-01-20', 'written_off'),
    );
    await a.fund(FUND, { type: 'WrittenOff', data: { loanId: loanId(5), amountFen: 110_000 } });
    await a.loan(loanId(6), {
      type: 'RepaymentRecorded',
      data: {
        repaymentId: 'rp-6',
        amountFen: 55_000,
        method: 'in_kind',
        reference: 'v-6',
        receivedOn: '2026-10-01',
        recordedBy: 'u-village-2',
        inKind: { description: 'a calf', valuedBy: 'u-village', confirmedBy: 'u-village-2' },
      },
    });
    await recover(6, 'rp-6', 55_000, 'in_kind');

    await a.scheme(SCHEME, {
      type: 'BatchProposed',
      data: { batchId: 'batch-2', cycle: 2, termsVersion: 1, households: 1, claimFen: 110_000, proposedBy: 'u-county' },
    });
    await a.batch('batch-2', {
      type: 'BatchOpened',
      data: {
        batchId: 'batch-2',
        schemeId: SCHEME,
        fundId: FUND,
        cycle: 2,
        termsVersion: 1,
        terms: SEED_TERMS,
        households: at(VILLAGE, 7),
        publicityEndsAt: '2027-02-08T00:00:00.000Z',
        proposedBy: 'u-county',
      },
    });
  });
  afterAll(() => db.drop());

  const bucketsOn = async (today: string) =>
    Object.fromEntries(
      (await listLoans(db.pool, COUNTY, { schemeId: SCHEME, status: 'active', today, limit: 50 })).map((l) => [l.loanId.slice(-1), [l.bucket, l.daysPastDue]]),
    );

  it('puts each running loan in its bucket on the given days (grace days first, then days past the due day)', async () => {
    expect(await bucketsOn('2026-12-31')).toEqual({ 1: ['current', 0], 2: ['current', 0], 3: ['current', 0], 6: ['current', 0] });
    expect(await bucketsOn('2027-01-01')).toMatchObject({ 2: ['1-30', 1], 3: ['current', 0] });
    expect(await bucketsOn('2027-01-10')).toMatchObject({ 2: ['1-30', 10], 3: ['current', 0] }); // the last day of L3's grace
    expect(await bucketsOn('2027-01-11')).toMatchObject({ 2: ['1-30', 11], 3: ['1-30', 11] });
    expect(await bucketsOn('2027-01-30')).toMatchObject({ 2: ['1-30', 30] });
    expect(await bucketsOn('2027-01-31')).toMatchObject({ 2: ['31-60', 31] });
    expect(await bucketsOn('2027-03-01')).toMatchObject({ 2: ['31-60', 60] });
    expect(await bucketsOn('2027-03-02')).toMatchObject({ 2: ['61-90', 61] });
    expect(await bucketsOn('2027-03-31')).toMatchObject({ 2: ['61-90', 90] });
    expect(await bucketsOn('2027-04-01')).toMatchObject({ 1: ['current', 0], 2: ['90+', 91], 3: ['90+', 91], 6: ['current', 0] });
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(bucketOf)).toEqual(['current', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', '90+']);
  });

  it('filters by bucket, village, status and jurisdiction, a page at a time', async () => {
    const ids = async (scope: string, f: Partial<Parameters<typeof listLoans>[2]>) =>
      (await listLoans(db.pool, scope, { today: '2027-02-15', limit: 50, ...f })).map((l) => Number(l.loanId.slice(-1)));
    expect(await ids(COUNTY, { schemeId: SCHEME })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await ids(COUNTY, { bucket: '31-60' })).toEqual([2, 3]);
    expect(await ids(COUNTY, { bucket: '1-30' })).toEqual([]);
    expect(await ids(COUNTY, { bucket: 'current' })).toEqual([1, 6]); // running loans only
    // Past its grace, a loan counts its days from the due day: L3 is 31 days past due too.
    expect(await ids(COUNTY, { bucket: '31-60', today: '2027-01-31' })).toEqual([2, 3]);
    expect(await ids(COUNTY, { bucket: '1-30', today: '2027-01-10' })).toEqual([2]);
    expect(await ids(COUNTY, { bucket: '1-30', today: '2027-01-11' })).toEqual([2, 3]);
    expect(await ids(COUNTY, { village: VILLAGE })).toEqual([1, 2, 6, 7, 8]);
    expect(await ids(COUNTY, { status: 'written_off' })).toEqual([5]);
    expect(await ids(COUNTY, { status: 'pending' })).toEqual([7]);
    expect(await ids(COUNTY, { householdId: hh(3) })).toEqual([3]);
    expect(await ids(TOWN, {})).toEqual([1, 2, 3, 6, 7, 8]);
    expect(await ids(OTHER_TOWN, {})).toEqual([4, 5]);
    expect(await ids(FAR_VILLAGE, { bucket: '31-60' })).toEqual([]);
    expect(await ids(COUNTY, { limit: 3 })).toEqual([1, 2, 3]);
    expect(await ids(COUNTY, { limit: 3, cursor: loanId(3) })).toEqual([4, 5, 6]);

    const l2 = await getLoan(db.pool, loanId(2), '2027-02-15');
    expect(l2).toMatchObject({
      loanId: loanId(2),
      householdId: hh(2),
      village: VILLAGE,
      town: TOWN,
      county: COUNTY,
      principalFen: 110_000,
      repaidFen: 20_000,
      outstandingFen: 90_000,
      status: 'active',
      paidOn: '2026-03-01',
      earliestUnpaidDue: '2026-12-31',
      daysPastDue: 46,
      bucket: '31-60',
    });
    expect(await getLoan(db.pool, 'loan-none', '2027-02-15')).toBeUndefined();
  });

  it("sums the scheme at a day: cycles, households, recovered of what fell due, PAR30, the buckets and the pool's books", async () => {
    const summary = await schemeSummary(db.pool, SCHEME, '2027-02-15');
    expect(summary).toMatchObject({
      schemeId: SCHEME,
      cycles: 1,
      loansMade: 6,
      householdsServed: 6,
      activeLoans: 4,
      principalLentFen: 660_000,
      recoveredFen: { cash: 185_000, inKind: 55_000, total: 240_000 },
      writtenOffFen: 110_000,
      outstandingFen: 310_000,
      // Six first instalments of 55,000 fell due; of them L1, L4 and L6 paid 55,000 each and L2 20,000.
      fallenDueFen: 330_000,
      recoveredBp: 5606, // 185,000 / 330,000
      par30Bp: 6451, // (90,000 + 110,000) / 310,000
      buckets: [
        { bucket: 'current', loans: 2, outstandingFen: 110_000 },
        { bucket: '1-30', loans: 0, outstandingFen: 0 },
        { bucket: '31-60', loans: 2, outstandingFen: 200_000 },
        { bucket: '61-90', loans: 0, outstandingFen: 0 },
        { bucket: '90+', loans: 0, outstandingFen: 0 },
      ],
      books: {
        contributionsFen: 1_000_000,
        cashFen: 525_000, // 1,000,000 − 660,000 lent + 185,000 back in cash
        receivableFen: 310_000, // what the loans still owe
        inKindFen: 55_000,
        writtenOffFen: 110_000,
        otherPayoutsFen: 0,
        lentFen: 660_000,
        paidFen: 660_000,
        recoveredCashFen: 185_000,
      },
    });
    const b = summary!.books!;
    expect(b.cashFen + b.receivableFen + b.inKindFen + b.writtenOffFen + b.otherPayoutsFen).toBe(b.contributionsFen);
    expect(summary!.batches.map((x) => [x.batchId, x.cycle, x.status, x.households, x.claimFen, x.loansPaid, x.paidFen, x.settledAt !== null])).toEqual([
      ['batch-1', 1, 'completed', 8, 990_000, 6, 660_000, true],
      ['batch-2', 2, 'publicity', 1, 110_000, 0, 0, false],
    ]);
    expect(await schemeSummary(db.pool, SCHEME, '2026-12-30')).toMatchObject({ fallenDueFen: 0, recoveredBp: null, par30Bp: 0 });
    expect(await schemeSummary(db.pool, 'scheme-none', '2027-02-15')).toBeUndefined();
  });

  it('sums with a fixed number of aggregate queries, however many loans the scheme has', async () => {
    const counting = () => {
      const texts: string[] = [];
      const q: Queryable = { query: ((text: string, values?: unknown[]) => (texts.push(text), db.pool.query(text, values))) as Queryable['query'] };
      return { q, texts };
    };
    const small = counting();
    await schemeSummary(small.q, SCHEME, '2027-02-15');
    // Another scheme with more loans (in a county of its own, out of the other tests' way): the same queries.
    await openPool(a, 'fund-count', 5_000_000);
    await createScheme(a, 'scheme-count', 'fund-count');
    for (let n = 20; n < 40; n++) {
      await a.loan(
        loanId(n),
        loanOpened({ loanId: loanId(n), schemeId: 'scheme-count', batchId: 'batch-c', fundId: 'fund-count', householdId: hh(n), village: '522702101201' }),
        disbursed,
      );
    }
    const large = counting();
    expect(await schemeSummary(large.q, 'scheme-count', '2027-02-15')).toMatchObject({ loansMade: 20, householdsServed: 20, outstandingFen: 2_200_000 });
    expect(large.texts).toEqual(small.texts);
    expect(large.texts.length).toBeLessThanOrEqual(4);
    expect(large.texts.filter((t) => /FROM loans\b/.test(t))).toHaveLength(1);
  });

  it('lists overdue loans per village and bucket within a jurisdiction', async () => {
    expect(await overdueLoansByVillage(db.pool, COUNTY, '2027-02-15')).toEqual([
      { village: VILLAGE, villageName: 'Village', bucket: '31-60', loans: 1, outstandingFen: 90_000 },
      { village: OTHER_VILLAGE, villageName: 'Other village', bucket: '31-60', loans: 1, outstandingFen: 110_000 },
    ]);
    expect(await overdueLoansByVillage(db.pool, TOWN, '2027-01-05')).toEqual([
      { village: VILLAGE, villageName: 'Village', bucket: '1-30', loans: 1, outstandingFen: 90_000 },
    ]);
    expect(await overdueLoansByVillage(db.pool, OTHER_TOWN, '2027-02-15')).toEqual([]);
    expect(await overdueLoansByVillage(db.pool, COUNTY, '2027-02-15', 'scheme-other')).toEqual([]);
    expect(await overdueLoansByVillage(db.pool, COUNTY, '2026-12-31')).toEqual([]);
  });

  it('gives every repayment of the scheme for the CSV export, reversed ones marked, within the jurisdiction, page by page', async () => {
    const rows = await repaymentsCsvRows(db.pool, SCHEME, COUNTY);
    expect(rows.map((r) => [r.repaymentId, r.loanId.slice(-1), r.village, r.amountFen, r.method, r.receivedOn, r.reversalReason])).toEqual([
      ['rp-4', '4', FAR_VILLAGE, 110_000, 'cash', '2026-06-01', null],
      ['rp-6', '6', VILLAGE, 55_000, 'in_kind', '2026-10-01', null],
      ['rp-2', '2', VILLAGE, 20_000, 'cash', '2026-11-05', null],
      ['rp-2-typo', '2', VILLAGE, 30_000, 'cash', '2026-11-06', 'entered on the wrong loan'],
      ['rp-1', '1', VILLAGE, 55_000, 'cash', '2026-12-20', null],
    ]);
    expect(rows[0]).toMatchObject({ householdId: hh(4), reference: 'R-rp-4', recordedBy: 'u-village', schemeId: SCHEME, inKind: null });
    expect((await repaymentsCsvRows(db.pool, SCHEME, OTHER_TOWN)).map((r) => r.repaymentId)).toEqual(['rp-4']);
    const first = await repaymentsCsvRows(db.pool, SCHEME, COUNTY, { after: null, limit: 2 });
    const next = await repaymentsCsvRows(db.pool, SCHEME, COUNTY, { after: [first[1].receivedOn, first[1].repaymentId], limit: 10 });
    expect([...first, ...next].map((r) => r.repaymentId)).toEqual(rows.map((r) => r.repaymentId));
  });

  it('projects the scheme and its batches: claims, households by status, cycles and households served', async () => {
    expect(await getScheme(db.pool, SCHEME)).toMatchObject({
      schemeId: SCHEME,
      fundId: FUND,
      county: COUNTY,
      termsVersion: 1,
      terms: SEED_TERMS,
      eligibleVillages: [VILLAGE, OTHER_VILLAGE, FAR_VILLAGE],
      writeOffBarYears: 3,
      cycles: 1,
      householdsServed: 6,
      createdBy: 'u-county',
    });
    expect((await schemeOfFund(db.pool, FUND))?.schemeId).toBe(SCHEME);
    expect((await listSchemes(db.pool, VILLAGE, { after: null, limit: 10 })).map((s) => s.schemeId)).toEqual([SCHEME, 'scheme-count']);
    const [first] = await listSchemes(db.pool, COUNTY, { after: null, limit: 1 });
    const rest = await listSchemes(db.pool, COUNTY, { after: [first.createdAt.toISOString(), first.schemeId], limit: 10 });
    expect(rest.map((s) => s.schemeId)).toEqual(['scheme-count']);
    expect(await listSchemes(db.pool, '522702', { after: null, limit: 10 })).toEqual([]);

    const batch = await getBatch(db.pool, 'batch-1');
    expect(batch).toMatchObject({ status: 'completed', cycle: 1, households: 8, loansPaid: 6, paidFen: 660_000 });
    expect(Object.fromEntries(batch!.householdList.map((h) => [h.householdId, [h.status, h.loanId && h.loanId.slice(-1)]]))).toEqual({
      [hh(1)]: ['paid', '1'],
      [hh(2)]: ['paid', '2'],
      [hh(3)]: ['paid', '3'],
      [hh(4)]: ['paid', '4'],
      [hh(5)]: ['paid', '5'],
      [hh(6)]: ['paid', '6'],
      [hh(8)]: ['failed', '8'],
      [hh(9)]: ['removed', null],
      [hh(11)]: ['unsigned', null],
    });
    expect(batch!.state?.objections).toEqual([
      { objectionId: 'obj-1', householdId: hh(9), raisedBy: 'u-neighbour', reason: 'not poor', resolved: true, substantiated: true, finding: 'owns a truck' },
    ]);
    expect(batch!.state?.households.find((h) => h.householdId === hh(1))?.signature).toMatchObject({ method: 'in_person', agreementHash: 'a'.repeat(64) });
    expect((await getBatch(db.pool, 'batch-1', OTHER_TOWN))?.householdList.map((h) => h.householdId)).toEqual([hh(4), hh(5)]);
    expect((await batchesOfScheme(db.pool, SCHEME)).map((b) => b.batchId)).toEqual(['batch-1', 'batch-2']);

    await a.scheme(SCHEME, {
      type: 'TermsRevised',
      data: { termsVersion: 2, terms: { ...SEED_TERMS, amountFen: 120_000 }, eligibleVillages: [VILLAGE], revisedBy: 'u-county', reason: 'cattle cost more' },
    });
    expect(await getScheme(db.pool, SCHEME)).toMatchObject({ termsVersion: 2, terms: { amountFen: 120_000 }, eligibleVillages: [VILLAGE] });
  });

  it("tells a batch proposal each household's loans of the scheme", async () => {
    const facts = await householdLoanFacts(db.pool, SCHEME, [hh(1), hh(4), hh(5), hh(7), hh(12)]);
    expect(facts).toEqual([
      { householdId: hh(1), hasActiveLoan: true, inOpenBatch: false, lastWriteOffOn: null },
      { householdId: hh(4), hasActiveLoan: false, inOpenBatch: false, lastWriteOffOn: null },
      { householdId: hh(5), hasActiveLoan: false, inOpenBatch: false, lastWriteOffOn: '2027-01-20' },
      { householdId: hh(7), hasActiveLoan: true, inOpenBatch: true, lastWriteOffOn: null },
      { householdId: hh(12), hasActiveLoan: false, inOpenBatch: false, lastWriteOffOn: null },
    ]);
    expect(await householdLoanFacts(db.pool, 'scheme-other', [hh(1)])).toEqual([
      { householdId: hh(1), hasActiveLoan: false, inOpenBatch: false, lastWriteOffOn: null },
    ]);
  });
});
