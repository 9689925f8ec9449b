import type { DomainEvent, StreamDecider } from '../../src/domain/decider';
import { DomainError } from '../../src/domain/errors';
import { InsufficientFundsError, fundDecider } from '../../src/domain/funds/fund';
import { auditDecider } from '../../src/domain/audit/audit';
import { ConcurrencyError } from '../../src/store/errors';
import { EventStore } from '../../src/store/event-store';
import { handle, readState } from '../../src/store/handle';
import { fundProjector } from '../../src/store/projections/funds';
import { createTestDatabase, type TestDatabase } from '../support/db';

const TOWN = '522701101';
const actor = 'user:test';
const fundKey = (e: DomainEvent) => `${(e.data as { disbursementId?: string }).disbursementId ?? 'open'}:${e.type}`;

describe('handle: read, fold, decide, append, retry', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool, { projectors: [fundProjector] });
    await db.pool.query(`INSERT INTO jurisdictions (code, name, level) VALUES ('522701', 'County', 'county')`);
    await db.pool.query(`INSERT INTO jurisdictions (code, name, level, parent_code) VALUES ($1, 'Town', 'town', '522701')`, [TOWN]);
  });
  afterAll(() => db.drop());

  async function openFund(fundId: string, amountFen: number): Promise<void> {
    await handle(
      store,
      fundId,
      fundDecider,
      { type: 'Open', fundId, name: fundId, jurisdiction: TOWN, account: `acct-${fundId}` },
      { actor, idempotencyKey: () => `${fundId}#open` },
    );
    await handle(
      store,
      fundId,
      fundDecider,
      { type: 'Deposit', amountFen, source: 'budget', reference: 'r' },
      { actor, idempotencyKey: () => `${fundId}:deposit` },
    );
  }
  const reserve = (fundId: string, disbursementId: string, amountFen: number) =>
    handle(store, fundId, fundDecider, { type: 'Reserve', disbursementId, amountFen }, { actor, idempotencyKey: fundKey });

  it('lets concurrent reservations on one fund through until it is spent, refusing the rest by the rule, never by a conflict', async () => {
    await openFund('fund-race', 600_000);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => reserve('fund-race', `race-${i}`, 100_000)));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
    expect(refused).toHaveLength(4);
    for (const e of refused) expect(e).toBeInstanceOf(InsufficientFundsError);
    const { state } = await readState(store, 'fund-race', fundDecider);
    expect(state).toMatchObject({ availableFen: 0, reservedFen: 600_000 });
    const balances = (await db.pool.query('SELECT available::int, reserved::int FROM fund_balances WHERE fund_id = $1', ['fund-race'])).rows[0];
    expect(balances).toEqual({ available: 0, reserved: 600_000 });
  });

  it('answers a retried command with the first result, appending nothing new', async () => {
    await openFund('fund-retry', 100_000);
    const deposit = () =>
      handle(
        store,
        'fund-retry',
        fundDecider,
        { type: 'Deposit', amountFen: 5_000, source: 'donation', reference: 'gift' },
        { actor, idempotencyKey: () => 'deposit:u:key-1' },
      );
    const first = await deposit();
    const again = await deposit();
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(again.state.depositedFen).toBe(105_000);

    await reserve('fund-retry', 'retry-1', 50_000);
    const retried = await reserve('fund-retry', 'retry-1', 50_000); // the fund's rules see the reservation: nothing to decide
    expect(retried.events).toEqual([]);
    expect(retried.state).toMatchObject({ availableFen: 55_000, reservedFen: 50_000 });
    expect(await store.streamVersion('fund-retry')).toBe(4);
  });

  it('passes a refusal on and appends nothing', async () => {
    await expect(
      handle(store, 'fund-none', fundDecider, { type: 'Deposit', amountFen: 1, source: 'budget', reference: 'r' }, { actor, idempotencyKey: () => 'x' }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await store.streamVersion('fund-none')).toBe(0);
  });

  it('appends to an append-only log without reading it', async () => {
    const denial = { userId: 'u', role: 'applicant', jurisdiction: TOWN, method: 'GET', path: '/funds', reason: 'role' };
    const r = await Promise.all(
      [1, 2, 3].map((n) =>
        handle(store, 'audit-denials-test', auditDecider, { type: 'RecordDenial', denial }, { appendOnly: true, actor, idempotencyKey: () => `denial-${n}` }),
      ),
    );
    expect(r.map((x) => x.events.length)).toEqual([1, 1, 1]);
    expect(await store.streamVersion('audit-denials-test')).toBe(3);
  });
});

describe('handle: giving up', () => {
  it('retries a version conflict a bounded number of times, deciding afresh each time, then gives up', async () => {
    let decided = 0;
    let appended = 0;
    const decider: StreamDecider<number, 'go', { type: 'Went'; data: object }> = {
      streamType: 'fund',
      initialState: () => 0,
      evolve: (s) => s + 1,
      decide: () => {
        decided++;
        return [{ type: 'Went', data: {} }];
      },
    };
    const busy = {
      readStream: async () => [],
      append: async () => {
        appended++;
        throw new ConcurrencyError('s', 'no_stream', 1);
      },
    } as unknown as EventStore;
    await expect(handle(busy, 's', decider, 'go', { actor, idempotencyKey: (_e: DomainEvent, v: number) => `s#${v}`, maxAttempts: 4 })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect([decided, appended]).toEqual([4, 4]);
  });
});
