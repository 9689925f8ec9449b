import { bucketOf, daysPastDue, earliestUnpaidDue, owedBy } from '../../../src/domain/loans/delinquency';
import { bucketTotals, portfolioAtRisk } from '../../../src/domain/loans/portfolio';
import { villageOfficial } from './fixtures';
import { apply, paidLoan } from './loan-helpers';

const repay = (repaymentId: string, amountFen: number, receivedOn = '2026-06-01') =>
  ({ type: 'RecordRepayment', repaymentId, amountFen, method: 'cash', reference: `R-${repaymentId}`, receivedOn, actor: villageOfficial }) as const;

describe('delinquency', () => {
  const loan = paidLoan(); // 55,000 due 2026-12-31, 55,000 due 2027-12-31; 30 grace days

  it('counts from the first instalment not wholly repaid, once the grace days have run', () => {
    expect(earliestUnpaidDue(loan)).toBe('2026-12-31');
    expect(daysPastDue(loan, '2026-12-31')).toBe(0);
    expect(daysPastDue(loan, '2027-01-30')).toBe(0); // the 30th grace day
    expect(daysPastDue(loan, '2027-01-31')).toBe(31);
    expect(bucketOf(daysPastDue(loan, '2027-01-31'))).toBe('31-60');
    expect(bucketOf(daysPastDue(loan, '2027-04-01'))).toBe('90+');
  });

  it('a partial repayment leaves the instalment unpaid; paying it moves the count to the next', () => {
    const part = apply(loan, repay('r1', 30_000));
    expect(earliestUnpaidDue(part)).toBe('2026-12-31');
    expect(owedBy(part, '2026-12-31')).toBe(25_000);
    expect(owedBy(part, '2026-12-30')).toBe(0);
    const half = apply(part, repay('r2', 25_000));
    expect(earliestUnpaidDue(half)).toBe('2027-12-31');
    expect(daysPastDue(half, '2027-06-01')).toBe(0);
    expect(owedBy(half, '2028-01-01')).toBe(55_000);
    expect(daysPastDue(half, '2028-02-15')).toBe(46);
  });

  it('a closed loan is never past due', () => {
    const repaid = apply(loan, repay('r1', 110_000));
    expect(repaid.status).toBe('repaid');
    expect(earliestUnpaidDue(repaid)).toBeUndefined();
    expect(daysPastDue(repaid, '2030-01-01')).toBe(0);
  });

  it.each([
    [0, 'current'],
    [1, '1-30'],
    [30, '1-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '90+'],
  ] as const)('%i days past due is in bucket %s', (days, bucket) => {
    expect(bucketOf(days)).toBe(bucket);
  });
});

describe('portfolio at risk', () => {
  const loans = [
    { outstandingFen: 55_000, daysPastDue: 0 },
    { outstandingFen: 55_000, daysPastDue: 30 },
    { outstandingFen: 110_000, daysPastDue: 31 },
    { outstandingFen: 30_000, daysPastDue: 120 },
  ];

  it('PAR30 is the outstanding more than 30 days past due, in basis points of all outstanding', () => {
    expect(portfolioAtRisk(loans)).toBe(5600); // 140,000 / 250,000
    expect(portfolioAtRisk(loans, 90)).toBe(1200);
    expect(portfolioAtRisk([])).toBe(0);
  });

  it('totals the loans and their outstanding by bucket, every bucket present', () => {
    expect(bucketTotals(loans)).toEqual({
      current: { loans: 1, outstandingFen: 55_000 },
      '1-30': { loans: 1, outstandingFen: 55_000 },
      '31-60': { loans: 1, outstandingFen: 110_000 },
      '61-90': { loans: 0, outstandingFen: 0 },
      '90+': { loans: 1, outstandingFen: 30_000 },
    });
  });
});
