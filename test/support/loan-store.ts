import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { FundEvent } from '../../src/domain/funds/fund-events';
import { locationOf } from '../../src/domain/jurisdiction';
import type { BatchEvent, LoanEvent, SchemeEvent } from '../../src/domain/loans/events';
import { SEED_INSTALMENTS, type LoanTerms, type ScheduledInstalment } from '../../src/domain/loans/terms';
import type { EventStore } from '../../src/store/event-store';
import { LOAN_STREAM } from '../../src/store/projections/loan-streams';

// The places of test/support/fixtures.ts (not imported: it brings Temporal's test tooling along).
export const COUNTY = '522701';
export const TOWN = '522701101';
export const OTHER_TOWN = '522701102';
export const VILLAGE = '522701101201';
export const OTHER_VILLAGE = '522701101202';
/** A village of the other town, for figures by village. */
export const FAR_VILLAGE = `${OTHER_TOWN}301`;

/** The county, its two towns and three villages, as the directory holds them. */
export async function seedJurisdictions(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code) VALUES
       ($1, 'County', 'county', NULL), ($2, 'Town', 'town', $1), ($3, 'Other town', 'town', $1),
       ($4, 'Village', 'village', $2), ($5, 'Other village', 'village', $2), ($6, 'Far village', 'village', $3)`,
    [COUNTY, TOWN, OTHER_TOWN, VILLAGE, OTHER_VILLAGE, FAR_VILLAGE],
  );
}

export const SEED_TERMS: LoanTerms = {
  amountFen: 110_000,
  instalments: SEED_INSTALMENTS,
  graceDays: 0,
  inKindAllowed: true,
  agreement: { version: 1, text: '借款协议 / loan agreement', hash: 'a'.repeat(64) },
};

/** The seed plan for a loan paid in 2026: half by the end of 2026, the rest by the end of 2027. */
export const seedSchedule = (principalFen = 110_000, year = 2026): ScheduledInstalment[] => [
  { n: 1, dueDate: `${year}-12-31`, amountFen: principalFen / 2 },
  { n: 2, dueDate: `${year + 1}-12-31`, amountFen: principalFen / 2 },
];

/** Appends raw events of the loan streams and the fund through the real store (every projector runs). */
export function loanAppender(store: EventStore) {
  const append = (streamId: string, streamType: string, events: { type: string; data: object }[]) =>
    store.append(
      streamId,
      streamType,
      'any',
      events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, actor: 'user:test', idempotencyKey: randomUUID() })),
    );
  return {
    fund: (fundId: string, ...events: FundEvent[]) => append(fundId, 'fund', events),
    scheme: (schemeId: string, ...events: SchemeEvent[]) => append(schemeId, LOAN_STREAM.scheme, events),
    batch: (batchId: string, ...events: BatchEvent[]) => append(batchId, LOAN_STREAM.batch, events),
    loan: (loanId: string, ...events: LoanEvent[]) => append(loanId, LOAN_STREAM.loan, events),
  };
}

export type LoanAppender = ReturnType<typeof loanAppender>;

export const newLoanId = () => `loan-${randomUUID()}`;

/** A fund opened at the county with a deposit, as the pool of a scheme. */
export async function openPool(a: LoanAppender, fundId: string, depositFen: number): Promise<void> {
  await a.fund(
    fundId,
    { type: 'FundOpened', data: { fundId, name: 'Cattle pool', jurisdiction: COUNTY, account: `acct-${fundId}`, currency: 'CNY' } },
    { type: 'Deposited', data: { amountFen: depositFen, source: 'donation', reference: 'staff donations' } },
  );
}

export async function createScheme(a: LoanAppender, schemeId: string, fundId: string): Promise<void> {
  await a.scheme(schemeId, {
    type: 'SchemeCreated',
    data: {
      schemeId,
      name: 'Cattle loans',
      fundId,
      county: COUNTY,
      eligibleVillages: [VILLAGE, OTHER_VILLAGE, FAR_VILLAGE],
      writeOffBarYears: 3,
      terms: SEED_TERMS,
      createdBy: 'u-county',
    },
  });
}

export const loanOpened = (loan: {
  loanId: string;
  schemeId: string;
  batchId: string;
  fundId: string;
  householdId: string;
  village?: string;
  principalFen?: number;
  graceDays?: number;
}): LoanEvent => ({
  type: 'LoanOpened',
  data: {
    loanId: loan.loanId,
    schemeId: loan.schemeId,
    batchId: loan.batchId,
    fundId: loan.fundId,
    householdId: loan.householdId,
    location: locationOf(loan.village ?? VILLAGE),
    principalFen: loan.principalFen ?? 110_000,
    termsVersion: 1,
    agreementHash: 'a'.repeat(64),
    graceDays: loan.graceDays ?? 0,
    inKindAllowed: true,
    disbursementId: `disb-${loan.loanId.slice(5)}`,
  },
});

export const repaid = (repaymentId: string, amountFen: number, receivedOn: string, method: 'cash' | 'bank_transfer' = 'cash'): LoanEvent => ({
  type: 'RepaymentRecorded',
  data: { repaymentId, amountFen, method, reference: `R-${repaymentId}`, receivedOn, recordedBy: 'u-village' },
});
