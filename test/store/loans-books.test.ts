import fc from 'fast-check';
import type { DomainEvent } from '../../src/domain/decider';
import { fundDecider, receivableFen, type FundCommand } from '../../src/domain/funds/fund';
import type { FundEvent } from '../../src/domain/funds/fund-events';
import { migrate } from '../../src/store/migrate';
import { createEventStore } from '../../src/store/create-event-store';
import { handle } from '../../src/store/handle';
import { poolBooks } from '../../src/store/projections/loan-schemes-queries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { COUNTY, loanAppender, openPool, seedJurisdictions, type LoanAppender } from '../support/loan-store';

type Method = 'cash' | 'bank_transfer' | 'in_kind';

/** The balances as the fund's row holds them (fen). */
const balances = async (db: TestDatabase, fundId: string) =>
  (
    await db.pool.query(
      `SELECT deposited::int, available::int, reserved::int, paid::int, lent::int, recovered_cash::int, in_kind::int, written_off::int, receivable::int
       FROM fund_balances WHERE fund_id = $1`,
      [fundId],
    )
  ).rows[0] as Record<string, number>;

/** Each account's balance in the fund's ledger (debits − credits). */
const accounts = async (db: TestDatabase, fundId: string) =>
  Object.fromEntries(
    (
      await db.pool.query(
        `SELECT l.account, (sum(l.debit) - sum(l.credit))::int AS balance FROM ledger_lines l JOIN ledger_entries e USING (entry_id)
         WHERE e.fund_id = $1 GROUP BY l.account`,
        [fundId],
      )
    ).rows.map((r) => [r.account, r.balance]),
  ) as Record<string, number>;

const recovered = (loanId: string, repaymentId: string, amountFen: number, method: Method): FundEvent => ({
  type: 'Recovered',
  data: { loanId, repaymentId, amountFen, method },
});
const lend = (disbursementId: string, amountFen: number, purpose = 'loan_principal'): FundEvent[] => [
  { type: 'Reserved', data: { disbursementId, amountFen } },
  { type: 'Paid', data: { disbursementId, amountFen, purpose, paymentId: `pay-${disbursementId}` } },
];

describe("the pool's books on the fund (migration 014)", () => {
  let db: TestDatabase;
  let a: LoanAppender;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedJurisdictions(db.pool);
    a = loanAppender(createEventStore(db.pool));
  });
  afterAll(() => db.drop());

  it('books a loan payout as receivable, recoveries back into cash or in kind, reversals and write-offs, each entry balanced', async () => {
    const f = 'fund-books-1';
    await openPool(a, f, 1_000_000);
    await a.fund(f, ...lend('disb-l1', 110_000), ...lend('disb-l2', 110_000), ...lend('disb-relief', 50_000, 'one_time_relief'));
    expect(await balances(db, f)).toEqual({
      deposited: 1_000_000,
      available: 730_000,
      reserved: 0,
      paid: 270_000,
      lent: 220_000,
      recovered_cash: 0,
      in_kind: 0,
      written_off: 0,
      receivable: 220_000,
    });

    await a.fund(
      f,
      recovered('loan-1', 'rp-1', 55_000, 'cash'),
      recovered('loan-1', 'rp-2', 10_000, 'bank_transfer'),
      recovered('loan-2', 'rp-3', 60_000, 'in_kind'),
      { type: 'RecoveryReversed', data: { loanId: 'loan-1', repaymentId: 'rp-2', amountFen: 10_000, method: 'bank_transfer' } },
      { type: 'WrittenOff', data: { loanId: 'loan-2', amountFen: 50_000 } },
    );
    expect(await balances(db, f)).toEqual({
      deposited: 1_000_000,
      available: 785_000,
      reserved: 0,
      paid: 270_000,
      lent: 220_000,
      recovered_cash: 55_000,
      in_kind: 60_000,
      written_off: 50_000,
      receivable: 55_000,
    });
    expect(await accounts(db, f)).toEqual({
      [`fund:${f}:available`]: 785_000,
      [`fund:${f}:reserved`]: 0,
      [`loans:${f}:receivable`]: 55_000,
      [`loans:${f}:in_kind`]: 60_000,
      [`loans:${f}:written_off`]: 50_000,
      'disbursed:one_time_relief': 50_000,
      'source:donation': -1_000_000,
    });
    const kinds = (
      await db.pool.query(`SELECT kind, reference FROM ledger_entries WHERE fund_id = $1 AND kind NOT IN ('deposit', 'reserve', 'pay') ORDER BY entry_id`, [f])
    ).rows;
    expect(kinds).toEqual([
      { kind: 'recover', reference: 'rp-1' },
      { kind: 'recover', reference: 'rp-2' },
      { kind: 'recover_in_kind', reference: 'rp-3' },
      { kind: 'reverse_recovery', reference: 'rp-2' },
      { kind: 'write_off', reference: 'loan-2' },
    ]);
    expect(await poolBooks(db.pool, f)).toEqual({
      contributionsFen: 1_000_000,
      cashFen: 785_000,
      receivableFen: 55_000,
      inKindFen: 60_000,
      writtenOffFen: 50_000,
      otherPayoutsFen: 50_000,
      fundId: f,
      contributionsBySource: [{ source: 'donation', amountFen: 1_000_000 }],
      availableFen: 785_000,
      reservedFen: 0,
      paidFen: 270_000,
      lentFen: 220_000,
      recoveredCashFen: 55_000,
    });
  });

  it("agrees with the fund's own rules: the balances the projection books are the decider's state", async () => {
    const store = createEventStore(db.pool);
    const f = 'fund-books-decided';
    let n = 0;
    const run = (command: FundCommand) =>
      handle(store, f, fundDecider, command, { actor: 'user:test', idempotencyKey: (e: DomainEvent) => `${f}:${++n}:${e.type}` });
    await run({ type: 'Open', fundId: f, name: 'Cattle pool', jurisdiction: COUNTY, account: 'acct-decided' });
    await run({ type: 'Deposit', amountFen: 300_000, source: 'donation', reference: 'staff' });
    for (const d of ['disb-d1', 'disb-d2']) {
      await run({ type: 'Reserve', disbursementId: d, amountFen: 110_000 });
      await run({ type: 'Pay', disbursementId: d, amountFen: 110_000, purpose: 'loan_principal', paymentId: `pay-${d}` });
    }
    await run({ type: 'Recover', loanId: 'loan-d1', repaymentId: 'rp-d1', amountFen: 55_000, method: 'cash' });
    await run({ type: 'Recover', loanId: 'loan-d2', repaymentId: 'rp-d2', amountFen: 30_000, method: 'in_kind' });
    await run({ type: 'ReverseRecovery', repaymentId: 'rp-d2' });
    const { state } = await run({ type: 'WriteOff', loanId: 'loan-d2', amountFen: 110_000 });
    expect(await balances(db, f)).toEqual({
      deposited: state.depositedFen,
      available: state.availableFen,
      reserved: state.reservedFen,
      paid: state.paidFen,
      lent: state.lentFen,
      recovered_cash: state.recoveredCashFen,
      in_kind: state.inKindFen,
      written_off: state.writtenOffFen,
      receivable: receivableFen(state),
    });
    expect(await balances(db, f)).toMatchObject({ available: 135_000, receivable: 55_000, written_off: 110_000, in_kind: 0 });
  });

  it('refuses books that do not add up: a row edited by hand, a recovery or write-off of more than is owed', async () => {
    const f = 'fund-books-2';
    await openPool(a, f, 500_000);
    await a.fund(f, ...lend('disb-b2', 110_000));
    const edit = (set: string) => db.pool.query(`UPDATE fund_balances SET ${set} WHERE fund_id = $1`, [f]);
    await expect(edit('receivable = receivable + 1')).rejects.toMatchObject({ code: '23514', constraint: 'fund_receivable_identity' });
    await expect(edit('available = available + 1')).rejects.toMatchObject({ code: '23514', constraint: 'fund_balance_identity' });
    await expect(edit('recovered_cash = recovered_cash + 1, receivable = receivable - 1')).rejects.toMatchObject({
      code: '23514',
      constraint: 'fund_balance_identity',
    });
    await expect(edit('lent = lent + 1, receivable = receivable + 1')).rejects.toMatchObject({ code: '23514', constraint: 'fund_lent_within_paid' });
    // Appended past the domain's rules, the event fails with its whole append: the books stay as they were.
    await expect(a.fund(f, recovered('loan-b2', 'rp-over', 110_001, 'cash'))).rejects.toMatchObject({ code: '23514' });
    await expect(a.fund(f, { type: 'WrittenOff', data: { loanId: 'loan-b2', amountFen: 110_001 } })).rejects.toMatchObject({ code: '23514' });
    expect(await balances(db, f)).toMatchObject({ available: 390_000, receivable: 110_000, recovered_cash: 0, written_off: 0 });
  });

  it('keeps cash + receivable + in kind + written off + (paid − lent) = contributions, and the ledger equal to the balances, for any sequence', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('deposit' as const), x: fc.integer({ min: 1, max: 500_000 }) }),
      fc.record({ kind: fc.constantFrom('lend' as const, 'pay_other' as const, 'reserve' as const, 'release' as const), x: fc.nat() }),
      fc.record({ kind: fc.constant('recover' as const), x: fc.nat(), method: fc.constantFrom<Method>('cash', 'bank_transfer', 'in_kind') }),
      fc.record({ kind: fc.constantFrom('reverse' as const, 'write_off' as const), x: fc.nat() }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const f = `fund-prop-${++run}`;
        await openPool(a, f, 200_000);
        const m = { available: 200_000, receivable: 0 };
        const recoveries: { id: string; amountFen: number; method: Method; reversed: boolean }[] = [];
        const held: { id: string; amountFen: number }[] = [];
        let n = 0;
        const part = (x: number, of: number) => 1 + (x % of);
        for (const o of ops) {
          const id = `${f}-${++n}`;
          if (o.kind === 'deposit') {
            await a.fund(f, { type: 'Deposited', data: { amountFen: o.x, source: 'budget', reference: id } });
            m.available += o.x;
          } else if ((o.kind === 'lend' || o.kind === 'pay_other' || o.kind === 'reserve') && m.available > 0) {
            const amt = part(o.x, m.available);
            if (o.kind === 'reserve') {
              await a.fund(f, { type: 'Reserved', data: { disbursementId: id, amountFen: amt } });
              held.push({ id, amountFen: amt });
            } else {
              await a.fund(f, ...lend(id, amt, o.kind === 'lend' ? 'loan_principal' : 'education'));
              if (o.kind === 'lend') m.receivable += amt;
            }
            m.available -= amt;
          } else if (o.kind === 'release' && held.length > 0) {
            const r = held.splice(o.x % held.length, 1)[0];
            await a.fund(f, { type: 'Released', data: { disbursementId: r.id, amountFen: r.amountFen } });
            m.available += r.amountFen;
          } else if (o.kind === 'recover' && m.receivable > 0) {
            const amt = part(o.x, m.receivable);
            await a.fund(f, recovered('loan-x', id, amt, o.method));
            recoveries.push({ id, amountFen: amt, method: o.method, reversed: false });
            m.receivable -= amt;
            if (o.method !== 'in_kind') m.available += amt;
          } else if (o.kind === 'write_off' && m.receivable > 0) {
            const amt = part(o.x, m.receivable);
            await a.fund(f, { type: 'WrittenOff', data: { loanId: 'loan-x', amountFen: amt } });
            m.receivable -= amt;
          } else if (o.kind === 'reverse') {
            // Only what the domain would allow: cash already lent out again cannot be handed back.
            const open = recoveries.filter((r) => !r.reversed && (r.method === 'in_kind' || r.amountFen <= m.available));
            if (open.length === 0) continue;
            const r = open[o.x % open.length];
            await a.fund(f, { type: 'RecoveryReversed', data: { loanId: 'loan-x', repaymentId: r.id, amountFen: r.amountFen, method: r.method } });
            r.reversed = true;
            m.receivable += r.amountFen;
            if (r.method !== 'in_kind') m.available -= r.amountFen;
          }
        }
        const b = await balances(db, f);
        expect({ available: b.available, receivable: b.receivable }).toEqual(m);
        const cash = b.available + b.reserved;
        expect(cash + b.receivable + b.in_kind + b.written_off + (b.paid - b.lent)).toBe(b.deposited);
        const ledger = await accounts(db, f);
        const acct = (name: string) => ledger[name] ?? 0;
        expect([
          acct(`fund:${f}:available`),
          acct(`fund:${f}:reserved`),
          acct(`loans:${f}:receivable`),
          acct(`loans:${f}:in_kind`),
          acct(`loans:${f}:written_off`),
        ]).toEqual([b.available, b.reserved, b.receivable, b.in_kind, b.written_off]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('migration 014 on a database with funds', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ before: '014-loans' });
    await seedJurisdictions(db.pool);
    await db.pool.query(
      `INSERT INTO funds (fund_id, name, jurisdiction, account, currency, created_at) VALUES ('fund-old', 'Relief', $1, 'acct-old', 'CNY', now())`,
      [COUNTY],
    );
    await db.pool.query(`INSERT INTO fund_balances (fund_id, deposited, available, reserved, paid) VALUES ('fund-old', 900000, 500000, 150000, 250000)`);
    expect((await migrate(db.pool))[0]).toBe('014-loans');
  });
  afterAll(() => db.drop());

  it('keeps every balance, with zeros for the loan books', async () => {
    expect(await balances(db, 'fund-old')).toEqual({
      deposited: 900_000,
      available: 500_000,
      reserved: 150_000,
      paid: 250_000,
      lent: 0,
      recovered_cash: 0,
      in_kind: 0,
      written_off: 0,
      receivable: 0,
    });
  });

  it('books on the migrated fund with the new identity in force', async () => {
    const a = loanAppender(createEventStore(db.pool));
    await a.fund('fund-old', ...lend('disb-old-loan', 100_000), recovered('loan-old', 'rp-old', 40_000, 'cash'));
    expect(await balances(db, 'fund-old')).toMatchObject({ available: 440_000, paid: 350_000, lent: 100_000, recovered_cash: 40_000, receivable: 60_000 });
    await expect(db.pool.query(`UPDATE fund_balances SET recovered_cash = 0, receivable = 100000 WHERE fund_id = 'fund-old'`)).rejects.toMatchObject({
      constraint: 'fund_balance_identity',
    });
  });

  it('lets a loan batch be a task subject, and still refuses a kind that is not a name', async () => {
    const open = (id: string, kind: string) =>
      db.pool.query(
        `INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, round, roles, jurisdiction, household_hash, created_at, status)
         VALUES ($1, $2, 'batch-1', 'decision', 'batch_signing', '1', ARRAY['village_official'], $3, '', now(), 'open')`,
        [id, kind, COUNTY],
      );
    await expect(open('task-batch', 'loan-batch')).resolves.toBeDefined();
    await expect(open('task-bad', 'Loan; DROP')).rejects.toMatchObject({ code: '23514' });
  });
});
