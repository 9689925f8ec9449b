import { formatYuan, maskAccount } from '../../src/domain/funds/money';
import { compareStatement, type BankLine } from '../../src/domain/funds/reconciliation';
import {
  emptyReconciliation,
  evolveReconciliation,
  reconciliationDecider,
  reconciliationEventKey,
  reconciliationEvents,
  type ReconciliationState,
} from '../../src/domain/funds/reconciliation-events';

const line = (key: string, amountFen: number, n = 1): BankLine => ({ key, amountFen, paymentId: `pay_${key}_${n}`, toAccountMasked: '****2222' });
const counts = { fundId: 'fund-1', date: '2026-11-20', bankLines: 0, bookedPayouts: 0 };

describe('compareStatement', () => {
  it('matches by key and amount, and names each kind of mismatch once per key', () => {
    const books = [
      { key: 'disb-a', amountFen: 150_000, paymentId: 'pay_a' },
      { key: 'disb-b', amountFen: 80_000, paymentId: 'pay_b' },
      { key: 'disb-c', amountFen: 10_000, paymentId: 'pay_c' },
      { key: 'disb-d', amountFen: 20_000, paymentId: 'pay_d' },
    ];
    const bank = [line('disb-a', 150_000), line('disb-b', 80_000), line('disb-b', 80_000, 2), line('disb-d', 20_001), line('ghost', 5_000)];
    const r = compareStatement(books, bank);
    expect(r.matched).toBe(1);
    expect(r.mismatches.map((m) => [m.kind, m.key])).toEqual([
      ['duplicate', 'disb-b'],
      ['missing_in_bank', 'disb-c'],
      ['amount_differs', 'disb-d'],
      ['missing_in_books', 'ghost'],
    ]);
    expect(r.mismatches.find((m) => m.kind === 'amount_differs')).toMatchObject({ booksAmountFen: 20_000, bankAmountsFen: [20_001] });
    expect(r.mismatches.find((m) => m.kind === 'missing_in_books')).toMatchObject({ booksAmountFen: null, bankAmountsFen: [5_000] });
  });

  it('finds nothing to say about an empty day', () => {
    expect(compareStatement([], [])).toEqual({ matched: 0, mismatches: [] });
  });
});

describe('reconciliation events', () => {
  const fold = (s: ReconciliationState, events: ReturnType<typeof reconciliationEvents>) =>
    events.reduce((st, e) => evolveReconciliation(st, e, { version: 0, recordedAt: '2026-11-21T01:00:00.000Z' }), s);

  it('records a finding once, clears it when it goes away, and gives a returning one a fresh key', () => {
    const ghost = compareStatement([], [line('ghost', 5_000)]);
    const first = reconciliationEvents(emptyReconciliation(), ghost, counts);
    expect(first.map((e) => e.type)).toEqual(['MismatchFound', 'ReconciliationCompleted']);
    const s1 = fold(emptyReconciliation(), first);
    expect(reconciliationEvents(s1, ghost, counts)).toEqual([]); // a re-run adds nothing

    const clean = compareStatement([], []);
    const cleared = reconciliationEvents(s1, clean, counts);
    expect(cleared.map((e) => e.type)).toEqual(['MismatchCleared', 'ReconciliationCompleted']);
    const s2 = fold(s1, cleared);
    expect(s2.open.size).toBe(0);

    const again = reconciliationEvents(s2, ghost, counts);
    expect(again[0]).toMatchObject({ type: 'MismatchFound', data: { round: 2 } });
    expect(reconciliationEventKey(first[0], 1)).toBe('recon:fund-1:2026-11-20:ghost:missing_in_books');
    expect(reconciliationEventKey(again[0], 5)).toBe('recon:fund-1:2026-11-20:ghost:missing_in_books:2');
  });

  it('records a completion only when the outcome changes', () => {
    const s = fold(emptyReconciliation(), reconciliationEvents(emptyReconciliation(), { matched: 2, mismatches: [] }, counts));
    expect(s.last).toMatchObject({ matched: 2, mismatches: 0 });
    expect(reconciliationEvents(s, { matched: 2, mismatches: [] }, counts)).toEqual([]);
    expect(reconciliationEvents(s, { matched: 3, mismatches: [] }, counts).map((e) => e.type)).toEqual(['ReconciliationCompleted']);
  });
});

describe('the reconciliation decider', () => {
  it('decides a run on the folded stream, and dates the outcome by when it was recorded', () => {
    const run = { type: 'RecordRun' as const, found: compareStatement([], [line('ghost', 5_000)]), counts };
    const events = reconciliationDecider.decide(run, reconciliationDecider.initialState());
    const s = events.reduce(
      (st, e, i) => reconciliationDecider.evolve(st, e, { version: i + 1, recordedAt: '2026-11-21T01:00:00.000Z' }),
      reconciliationDecider.initialState(),
    );
    expect(s).toMatchObject({ lastAt: '2026-11-21T01:00:00.000Z', last: { mismatches: 1 } });
    expect(reconciliationDecider.decide(run, s)).toEqual([]);
  });
});

describe('money for people', () => {
  it('formats yuan from integer fen without floats', () => {
    expect(formatYuan(150_000)).toBe('1500.00');
    expect(formatYuan(123_456)).toBe('1234.56');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(1_000_000_000_000)).toBe('10000000000.00');
    expect(() => formatYuan(100.5)).toThrow();
  });

  it('masks an account to its last four digits', () => {
    expect(maskAccount('6228480011112222')).toBe('****2222');
  });
});
