/**
 * The seed scheme, two cycles, on the pure deciders alone: 80 loans of 1,100 yuan from a pool of
 * 8,800,000 fen; half repaid by the year end; the next batch is sized from the cash recovered
 * (never from what is still owed, nor from a calf repaid in kind).
 */
import { decideFund, fundDecider, type FundCommand, type FundState } from '../../../src/domain/funds/fund';
import { poolBooks } from '../../../src/domain/loans/books';
import type { HouseholdEligibility, LoanCommand, SchemeCommand } from '../../../src/domain/loans/commands';
import { daysPastDue } from '../../../src/domain/loans/delinquency';
import type { BatchHousehold, LoanEvent } from '../../../src/domain/loans/events';
import { decideLoan, evolveLoan, type LoanState } from '../../../src/domain/loans/loan';
import { portfolioAtRisk } from '../../../src/domain/loans/portfolio';
import { InsufficientPoolCashError, decideScheme, evolveScheme, type SchemeState } from '../../../src/domain/loans/scheme';
import { COUNTY, VILLAGE, countyOfficial, location, refusal, seedTerms, villageOfficial, villageOfficial2 } from './fixtures';

const terms = seedTerms();
let fund: FundState;
let scheme: SchemeState | undefined;
const loans = new Map<string, LoanState>();

const onFund = (c: FundCommand) => {
  fund = decideFund(c, fund).reduce((s, e) => fundDecider.evolve(s, e), fund);
};
const onScheme = (c: SchemeCommand) => {
  scheme = decideScheme(c, scheme).reduce<SchemeState | undefined>((s, e) => evolveScheme(s, e), scheme);
};
const onLoan = (loanId: string, c: LoanCommand): LoanEvent[] => {
  const before = loans.get(loanId);
  const events = decideLoan(c, before);
  loans.set(loanId, events.reduce<LoanState | undefined>((s, e) => evolveLoan(s, e), before) as LoanState);
  return events;
};

const households = (n: number, from: number): BatchHousehold[] =>
  Array.from({ length: n }, (_, i) => ({ householdId: `hh-${from + i}`, location: location() }));
const facts = (hs: BatchHousehold[], today: string): HouseholdEligibility[] =>
  hs.map((h) => ({
    householdId: h.householdId,
    enrolled: true,
    village: VILLAGE,
    hasActiveLoan: [...loans.values()].some((l) => l.householdId === h.householdId && l.status === 'active'),
    today,
  }));
const propose = (batchId: string, hs: BatchHousehold[], today: string): SchemeCommand => ({
  type: 'ProposeBatch',
  batchId,
  households: hs,
  eligibility: facts(hs, today),
  poolCashFen: fund.availableFen,
  actor: countyOfficial,
});

/** Pays a batch's loans through the fund and opens each loan with its payout day; then settles the batch. */
function payBatch(batchId: string, hs: BatchHousehold[], paidOn: string) {
  for (const h of hs) {
    const loanId = `loan-${h.householdId}`;
    onFund({ type: 'Reserve', disbursementId: `disb-${loanId}`, amountFen: terms.amountFen });
    onFund({ type: 'Pay', disbursementId: `disb-${loanId}`, amountFen: terms.amountFen, purpose: 'loan_principal', paymentId: `pay-${loanId}` });
    onLoan(loanId, {
      type: 'OpenLoan',
      loanId,
      schemeId: 'scheme-1',
      batchId,
      fundId: 'fund-pool',
      household: h,
      terms,
      termsVersion: 1,
      disbursementId: `disb-${loanId}`,
      paidOn,
    });
  }
  onScheme({ type: 'SettleBatch', batchId, loansPaid: hs.length, paidFen: hs.length * terms.amountFen });
}

/** A cash repayment on the loan's stream, then its recovery on the fund's (as the loan workflow does). */
function repayCash(loanId: string, repaymentId: string, amountFen: number, receivedOn: string) {
  onLoan(loanId, { type: 'RecordRepayment', repaymentId, amountFen, method: 'cash', reference: `receipt ${repaymentId}`, receivedOn, actor: villageOfficial });
  onFund({ type: 'Recover', loanId, repaymentId, amountFen, method: 'cash' });
}

describe('the seed scheme over two cycles', () => {
  beforeAll(() => {
    fund = fundDecider.initialState();
    onFund({ type: 'Open', fundId: 'fund-pool', name: 'Cattle loan pool', jurisdiction: COUNTY, account: '6228000000000009' });
    onFund({ type: 'Deposit', amountFen: 6_000_000, source: 'donation', reference: 'staff donations' });
    onFund({ type: 'Deposit', amountFen: 2_800_000, source: 'budget', reference: 'office funds' });
    onScheme({
      type: 'CreateScheme',
      schemeId: 'scheme-1',
      name: 'cattle loans',
      fundId: 'fund-pool',
      county: COUNTY,
      eligibleVillages: [VILLAGE],
      writeOffBarYears: 3,
      terms,
      actor: countyOfficial,
    });
  });

  it('cycle 1: 80 households of 110,000 fen take the whole pool', () => {
    const first = households(80, 1);
    expect(refusal(() => decideScheme(propose('batch-1', households(81, 1), '2026-03-01'), scheme))).toBeInstanceOf(InsufficientPoolCashError);
    onScheme(propose('batch-1', first, '2026-03-01'));
    payBatch('batch-1', first, '2026-03-10');
    expect(fund.availableFen).toBe(0);
    expect(poolBooks(fund)).toMatchObject({ contributionsFen: 8_800_000, cashFen: 0, receivableFen: 8_800_000 });
    expect(scheme?.householdsServed).toBe(80);
  });

  it('by the year end each repays half; the books balance and nobody is past due', () => {
    for (let i = 1; i <= 80; i++) repayCash(`loan-hh-${i}`, `r-${i}-1`, 55_000, '2026-12-20');
    expect(poolBooks(fund)).toEqual({
      contributionsFen: 8_800_000,
      cashFen: 4_400_000,
      receivableFen: 4_400_000,
      inKindFen: 0,
      writtenOffFen: 0,
      otherPayoutsFen: 0,
    });
    const risk = [...loans.values()].map((l) => ({ outstandingFen: l.outstandingFen, daysPastDue: daysPastDue(l, '2027-03-01') }));
    expect(portfolioAtRisk(risk)).toBe(0);
  });

  it('cycle 2 is sized from the recovered cash only: 40 households, a 41st refused', () => {
    const e = refusal(() => decideScheme(propose('batch-2', households(41, 81), '2027-01-10'), scheme)) as InsufficientPoolCashError;
    expect(e).toBeInstanceOf(InsufficientPoolCashError);
    expect(e).toMatchObject({ availableFen: 4_400_000, neededFen: 4_510_000, maxHouseholds: 40 });
    // A household of cycle 1 still owes: it may not be in cycle 2.
    expect(() => decideScheme(propose('batch-2', [...households(39, 81), { householdId: 'hh-1', location: location() }], '2027-01-10'), scheme)).toThrow(
      /hh-1 \(active_loan\)/,
    );
    onScheme(propose('batch-2', households(40, 81), '2027-01-10'));
    expect(scheme?.batches.map((b) => [b.cycle, b.households])).toEqual([
      [1, 80],
      [2, 40],
    ]);
    payBatch('batch-2', households(40, 81), '2027-02-01');
    expect(poolBooks(fund)).toMatchObject({ contributionsFen: 8_800_000, cashFen: 0, receivableFen: 8_800_000 });
    expect(scheme?.householdsServed).toBe(120);
  });

  it('a calf repaid in kind is valued, not cash: it never funds a batch', () => {
    const loanId = 'loan-hh-1';
    onLoan(loanId, { type: 'ValueInKind', valuationId: 'v-1', amountFen: 55_000, description: 'a calf', receivedOn: '2027-06-01', actor: villageOfficial });
    const events = onLoan(loanId, { type: 'ConfirmInKind', valuationId: 'v-1', repaymentId: 'r-1-2', actor: villageOfficial2 });
    expect(events.map((e) => e.type)).toEqual(['RepaymentRecorded', 'LoanClosed']);
    onFund({ type: 'Recover', loanId, repaymentId: 'r-1-2', amountFen: 55_000, method: 'in_kind' });
    expect(poolBooks(fund)).toMatchObject({ cashFen: 0, inKindFen: 55_000, receivableFen: 8_745_000 });
    expect(refusal(() => decideScheme(propose('batch-3', households(1, 200), '2027-07-01'), scheme))).toMatchObject({ maxHouseholds: 0 });
  });
});
