import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors';
import { InsufficientFundsError, decideFund, fundDecider, type FundCommand, type FundState } from '../../../src/domain/funds/fund';
import { poolBooks } from '../../../src/domain/loans/books';
import { refusal } from './fixtures';

const apply = (s: FundState, c: FundCommand) => decideFund(c, s).reduce((st, e) => fundDecider.evolve(st, e), s);
const applyAll = (s: FundState, cs: FundCommand[]) => cs.reduce(apply, s);
const open: FundCommand = { type: 'Open', fundId: 'fund-pool', name: 'Cattle pool', jurisdiction: '522701', account: '6228000000000009' };
const deposit = (amountFen: number, reference = 'staff donations'): FundCommand => ({ type: 'Deposit', amountFen, source: 'donation', reference });
const payout = (id: string, amountFen: number, purpose = 'loan_principal'): FundCommand[] => [
  { type: 'Reserve', disbursementId: id, amountFen },
  { type: 'Pay', disbursementId: id, amountFen, purpose, paymentId: `pay-${id}` },
];
const recover = (repaymentId: string, amountFen: number, method: 'cash' | 'bank_transfer' | 'in_kind' = 'cash', loanId = 'loan-1'): FundCommand => ({
  type: 'Recover',
  loanId,
  repaymentId,
  amountFen,
  method,
});

/** A pool of 330,000 fen that lent three loans of 110,000. */
const lentOut = () =>
  applyAll(fundDecider.initialState(), [open, deposit(330_000), ...payout('d-1', 110_000), ...payout('d-2', 110_000), ...payout('d-3', 110_000)]);

describe("the pool's fund: loans and their recoveries", () => {
  it('counts loan payouts as lent; other payouts are not', () => {
    const s = applyAll(fundDecider.initialState(), [open, deposit(500_000), ...payout('d-1', 110_000), ...payout('d-2', 20_000, 'one_time_relief')]);
    expect(s).toMatchObject({ paidFen: 130_000, lentFen: 110_000, availableFen: 370_000 });
    expect(poolBooks(s)).toEqual({
      contributionsFen: 500_000,
      cashFen: 370_000,
      receivableFen: 110_000,
      inKindFen: 0,
      writtenOffFen: 0,
      otherPayoutsFen: 20_000,
    });
  });

  it('cash and bank recoveries are cash again; in kind is not', () => {
    let s = applyAll(lentOut(), [recover('r-1', 55_000), recover('r-2', 10_000, 'bank_transfer')]);
    expect(s).toMatchObject({ availableFen: 65_000, recoveredCashFen: 65_000, inKindFen: 0 });
    s = apply(s, recover('r-3', 60_000, 'in_kind', 'loan-2'));
    expect(s).toMatchObject({ availableFen: 65_000, inKindFen: 60_000 });
    expect(poolBooks(s)).toMatchObject({ cashFen: 65_000, receivableFen: 205_000, inKindFen: 60_000, contributionsFen: 330_000 });
  });

  it('is idempotent by repaymentId, and never recovers more than the loans owe', () => {
    const s = apply(lentOut(), recover('r-1', 55_000));
    expect(decideFund(recover('r-1', 55_000), s)).toEqual([]);
    expect(refusal(() => decideFund(recover('r-1', 55_001), s)).code).toBe('invalid');
    expect(refusal(() => decideFund(recover('r-2', 275_001), s)).code).toBe('invalid');
    expect(refusal(() => decideFund(recover('r-2', 0), s)).code).toBe('invalid');
  });

  it('a reversal takes back what the recovery did, once; a cash reversal needs the cash still there', () => {
    let s = applyAll(lentOut(), [recover('r-1', 55_000), recover('r-2', 60_000, 'in_kind')]);
    s = apply(s, { type: 'ReverseRecovery', repaymentId: 'r-2' });
    expect(s).toMatchObject({ inKindFen: 0, availableFen: 55_000 });
    expect(decideFund({ type: 'ReverseRecovery', repaymentId: 'r-2' }, s)).toEqual([]);
    expect(refusal(() => decideFund({ type: 'ReverseRecovery', repaymentId: 'r-9' }, s)).code).toBe('invalid');
    // The recovered cash was lent again: the reversal cannot take back cash that is gone.
    const spent = applyAll(s, payout('d-4', 50_000));
    expect(refusal(() => decideFund({ type: 'ReverseRecovery', repaymentId: 'r-1' }, spent))).toBeInstanceOf(InsufficientFundsError);
    s = apply(s, { type: 'ReverseRecovery', repaymentId: 'r-1' });
    expect(s).toMatchObject({ availableFen: 0, recoveredCashFen: 0 });
  });

  it('writes off a loan once', () => {
    let s = apply(lentOut(), { type: 'WriteOff', loanId: 'loan-1', amountFen: 80_000 });
    expect(poolBooks(s)).toMatchObject({ receivableFen: 250_000, writtenOffFen: 80_000 });
    expect(decideFund({ type: 'WriteOff', loanId: 'loan-1', amountFen: 80_000 }, s)).toEqual([]);
    expect(refusal(() => decideFund({ type: 'WriteOff', loanId: 'loan-1', amountFen: 1 }, s)).code).toBe('invalid');
    s = apply(s, { type: 'WriteOff', loanId: 'loan-2', amountFen: 250_000 });
    expect(refusal(() => decideFund({ type: 'WriteOff', loanId: 'loan-3', amountFen: 1 }, s)).code).toBe('invalid');
  });
});

describe("the pool's books", () => {
  type Step =
    | { kind: 'deposit'; fen: number }
    | { kind: 'lend'; fen: number }
    | { kind: 'other'; fen: number }
    | { kind: 'release'; fen: number }
    | { kind: 'recover'; fen: number; method: 'cash' | 'bank_transfer' | 'in_kind' }
    | { kind: 'reverse'; pick: number }
    | { kind: 'writeOff'; fen: number };
  const fen = fc.integer({ min: 1, max: 300_000 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fen.map((f) => ({ kind: 'deposit' as const, fen: f })),
    fen.map((f) => ({ kind: 'lend' as const, fen: f })),
    fen.map((f) => ({ kind: 'other' as const, fen: f })),
    fen.map((f) => ({ kind: 'release' as const, fen: f })),
    fc.record({ fen, method: fc.constantFrom('cash' as const, 'bank_transfer' as const, 'in_kind' as const) }).map((r) => ({ kind: 'recover' as const, ...r })),
    fc.nat(50).map((p) => ({ kind: 'reverse' as const, pick: p })),
    fen.map((f) => ({ kind: 'writeOff' as const, fen: f })),
  );

  function commands(st: Step, i: number, s: FundState): FundCommand[] {
    switch (st.kind) {
      case 'deposit':
        return [deposit(st.fen, `d${i}`)];
      case 'lend':
        return payout(`d${i}`, st.fen);
      case 'other':
        return payout(`d${i}`, st.fen, 'medical_top_up');
      case 'release':
        return [
          { type: 'Reserve', disbursementId: `d${i}`, amountFen: st.fen },
          { type: 'Release', disbursementId: `d${i}`, amountFen: st.fen },
        ];
      case 'recover':
        return [recover(`r${i}`, st.fen, st.method, `loan-${i}`)];
      case 'reverse': {
        const ids = [...s.recoveries.keys()];
        return ids.length ? [{ type: 'ReverseRecovery', repaymentId: ids[st.pick % ids.length] }] : [];
      }
      case 'writeOff':
        return [{ type: 'WriteOff', loanId: `loan-w${i}`, amountFen: st.fen }];
    }
  }

  it('cash + receivable + in kind + written off + other payouts = contributions, after any sequence of moves', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let s = apply(fundDecider.initialState(), open);
        steps.forEach((st, i) => {
          for (const c of commands(st, i, s)) {
            try {
              s = apply(s, c);
            } catch (e) {
              if (!(e instanceof DomainError)) throw e; // a refused move changes nothing
              break;
            }
          }
          const b = poolBooks(s);
          expect(b.cashFen + b.receivableFen + b.inKindFen + b.writtenOffFen + b.otherPayoutsFen).toBe(b.contributionsFen);
          expect(Math.min(s.availableFen, s.reservedFen, b.receivableFen, b.inKindFen, b.writtenOffFen, b.otherPayoutsFen)).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: 300 },
    );
  });
});
