import { EventStore } from '../../src/store/event-store';
import { ConcurrencyError } from '../../src/store/errors';
import { withTransaction } from '../../src/store/transaction';
import type { NewEvent, StoredEvent } from '../../src/store/types';
import type { PoolClient } from 'pg';
import { verifyChain } from '../../src/store/verify-chain';
import { createTestDatabase, type TestDatabase } from '../support/db';

const ev = (type: string, key: string): NewEvent => ({ type, data: { type }, actor: 'user:test', idempotencyKey: key });

/** EventStore.within (issue #12): events appended inside the caller's transaction commit and roll back with it. */
describe('EventStore.within on real Postgres', () => {
  let db: TestDatabase;
  let store: EventStore;
  const projected: StoredEvent[][] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('CREATE TABLE within_probe (n integer)');
    const projector = Object.assign(
      async (tx: PoolClient, _type: string, events: StoredEvent[]) => {
        projected.push(events);
        await tx.query('INSERT INTO within_probe (n) VALUES ($1)', [events.length]);
      },
      { streamTypes: ['user'] },
    );
    store = new EventStore(db.pool, { projectors: [projector] });
  });
  afterAll(() => db.drop());

  const probeRows = async () => Number((await db.pool.query('SELECT count(*) FROM within_probe')).rows[0].count);

  it('commits the events and the projection with the caller’s own writes', async () => {
    await withTransaction(db.pool, async (tx) => {
      await tx.query('INSERT INTO within_probe (n) VALUES (0)');
      await store.within(tx).append('user-a', 'user', 'no_stream', [ev('A', 'within-1'), ev('B', 'within-2')]);
      // Read inside the transaction: visible there before the commit.
      expect((await store.within(tx).readStream('user-a')).map((e) => e.type)).toEqual(['A', 'B']);
      expect(await store.readStream('user-a')).toEqual([]);
    });
    expect((await store.readStream('user-a')).map((e) => e.type)).toEqual(['A', 'B']);
    expect(await probeRows()).toBe(2);
    expect((await verifyChain(db.pool)).ok).toBe(true);
  });

  it('rolls the events back when the caller’s transaction fails', async () => {
    const before = await probeRows();
    await expect(
      withTransaction(db.pool, async (tx) => {
        await store.within(tx).append('user-b', 'user', 'no_stream', [ev('A', 'within-3')]);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await store.readStream('user-b')).toEqual([]);
    expect(await store.streamVersion('user-b')).toBe(0);
    expect(await probeRows()).toBe(before);
  });

  it('maps a version conflict to ConcurrencyError as the pool store does', async () => {
    await store.append('user-c', 'user', 'no_stream', [ev('A', 'within-4')]);
    await expect(withTransaction(db.pool, (tx) => store.within(tx).append('user-c', 'user', 'no_stream', [ev('B', 'within-5')]))).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });
});
