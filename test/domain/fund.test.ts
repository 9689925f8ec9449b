import { DomainError } from '../../src/domain/errors';
import { InsufficientFundsError, decideFund, fundDecider, type FundCommand, type FundState } from '../../src/domain/funds/fund';

const apply = (s: FundState, c: FundCommand) => decideFund(c, s).reduce((st, e) => fundDecider.evolve(st, e), s);
const refusal = (s: FundState, c: FundCommand) => {
  try {
    decideFund(c, s);
    return undefined;
  } catch (e) {
    return e;
  }
};
const open: FundCommand = { type: 'Open', fundId: 'fund-1', name: 'Relief', jurisdiction: '522701101', account: '6228000000000001' };

function funded(amountFen: number): FundState {
  return apply(apply(fundDecider.initialState(), open), { type: 'Deposit', amountFen, source: 'budget', reference: 'budget 2026' });
}

describe('the fund decider', () => {
  it('opens a fund once; the same opening again decides nothing, another is refused', () => {
    const s = apply(fundDecider.initialState(), open);
    expect(s.opened).toEqual({ fundId: 'fund-1', name: 'Relief', jurisdiction: '522701101', account: '6228000000000001' });
    expect(decideFund(open, s)).toEqual([]);
    expect((refusal(s, { ...open, name: 'Other' }) as DomainError).code).toBe('invalid');
  });

  it('refuses every move on a fund that was never opened', () => {
    const s = fundDecider.initialState();
    for (const c of [
      { type: 'Deposit', amountFen: 1, source: 'budget', reference: 'r' },
      { type: 'Reserve', disbursementId: 'd', amountFen: 1 },
    ] as FundCommand[]) {
      expect((refusal(s, c) as DomainError).code).toBe('not_found');
    }
  });

  it('reserves up to what is available and no further', () => {
    let s = funded(100_000);
    s = apply(s, { type: 'Reserve', disbursementId: 'd-1', amountFen: 60_000 });
    expect(s).toMatchObject({ availableFen: 40_000, reservedFen: 60_000 });
    const refused = refusal(s, { type: 'Reserve', disbursementId: 'd-2', amountFen: 40_001 });
    expect(refused).toBeInstanceOf(InsufficientFundsError);
    expect((refused as DomainError).code).toBe('invalid');
    s = apply(s, { type: 'Reserve', disbursementId: 'd-2', amountFen: 40_000 });
    expect(s).toMatchObject({ availableFen: 0, reservedFen: 100_000 });
  });

  it('pays or releases an open reservation once; a retried move decides nothing', () => {
    let s = funded(100_000);
    s = apply(s, { type: 'Reserve', disbursementId: 'd-1', amountFen: 30_000 });
    s = apply(s, { type: 'Reserve', disbursementId: 'd-2', amountFen: 20_000 });
    expect(decideFund({ type: 'Reserve', disbursementId: 'd-1', amountFen: 30_000 }, s)).toEqual([]);
    const pay: FundCommand = { type: 'Pay', disbursementId: 'd-1', amountFen: 30_000, purpose: 'one_time_relief', paymentId: 'pay_1' };
    expect(decideFund(pay, s)).toEqual([{ type: 'Paid', data: { disbursementId: 'd-1', amountFen: 30_000, purpose: 'one_time_relief', paymentId: 'pay_1' } }]);
    s = apply(s, pay);
    s = apply(s, { type: 'Release', disbursementId: 'd-2', amountFen: 20_000 });
    expect(s).toMatchObject({ depositedFen: 100_000, availableFen: 70_000, reservedFen: 0, paidFen: 30_000 });
    expect(decideFund(pay, s)).toEqual([]);
    expect(decideFund({ type: 'Release', disbursementId: 'd-2', amountFen: 20_000 }, s)).toEqual([]);
    // A reserved disbursement is never reserved again, even after its reservation is settled.
    expect(decideFund({ type: 'Reserve', disbursementId: 'd-2', amountFen: 20_000 }, s)).toEqual([]);
  });

  it('refuses moves the books contradict', () => {
    let s = funded(100_000);
    s = apply(s, { type: 'Reserve', disbursementId: 'd-1', amountFen: 30_000 });
    const code = (c: FundCommand) => (refusal(s, c) as DomainError | undefined)?.code;
    expect(code({ type: 'Pay', disbursementId: 'd-9', amountFen: 30_000, purpose: 'p', paymentId: 'x' })).toBe('invalid'); // never reserved
    expect(code({ type: 'Pay', disbursementId: 'd-1', amountFen: 29_999, purpose: 'p', paymentId: 'x' })).toBe('invalid'); // another amount
    expect(code({ type: 'Reserve', disbursementId: 'd-2', amountFen: 0 })).toBe('invalid');
    expect(code({ type: 'Deposit', amountFen: -5, source: 'budget', reference: 'r' })).toBe('invalid');
    s = apply(s, { type: 'Pay', disbursementId: 'd-1', amountFen: 30_000, purpose: 'p', paymentId: 'x' });
    expect(code({ type: 'Release', disbursementId: 'd-1', amountFen: 30_000 })).toBe('invalid'); // already paid out
  });

  it('folds stored events without changing the state it was given', () => {
    const before = funded(50_000);
    const after = apply(before, { type: 'Reserve', disbursementId: 'd-1', amountFen: 10_000 });
    expect(before.reservations.size).toBe(0);
    expect(before.availableFen).toBe(50_000);
    expect(after.reservations.get('d-1')).toEqual({ amountFen: 10_000, status: 'reserved' });
  });
});
