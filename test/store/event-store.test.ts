import { EventStore } from '../../src/store/event-store';
import { ConcurrencyError, IdempotencyConflictError } from '../../src/store/errors';
import type { NewEvent, StoredEvent } from '../../src/store/types';
import { verifyChain } from '../../src/store/verify-chain';
import { createTestDatabase, type TestDatabase } from '../support/db';

const ev = (type: string, key: string, data: Record<string, unknown> = {}): NewEvent => ({ type, data, actor: 'user:test', idempotencyKey: key });

describe('EventStore on real Postgres', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  it('appends with expected versions and reads the stream back in order', async () => {
    const first = await store.append('s-order', 'case', 'no_stream', [ev('A', 'order-1', { n: 1 }), ev('B', 'order-2', { n: 2 })]);
    expect(first.version).toBe(2);
    await store.append('s-order', 'case', 2, [ev('C', 'order-3')]);
    const read = await store.readStream('s-order');
    expect(read.map((e) => [e.version, e.type])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
    ]);
    expect(read[0].prevHash).toBe('0'.repeat(64));
    expect(read[1].prevHash).toBe(read[0].hash);
    expect(read[2].prevHash).toBe(read[1].hash);
  });

  it('refuses an append at the wrong expected version and writes nothing', async () => {
    await store.append('s-conflict', 'case', 'no_stream', [ev('A', 'conflict-1')]);
    await expect(store.append('s-conflict', 'case', 'no_stream', [ev('B', 'conflict-2')])).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('s-conflict', 'case', 5, [ev('B', 'conflict-3')])).rejects.toMatchObject({ actual: 1, expected: 5 });
    expect((await store.readStream('s-conflict')).map((e) => e.type)).toEqual(['A']);
  });

  it('lets exactly one of two racing appenders at the same version win', async () => {
    await store.append('s-race', 'case', 'no_stream', [ev('A', 'race-0')]);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.append('s-race', 'case', 1, [ev('B', `race-${i + 1}`)])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(7);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.streamVersion('s-race')).toBe(2);
  });

  it('treats a retried append (same key, same content) as a no-op that returns the first result', async () => {
    const first = await store.append('s-idem', 'case', 'no_stream', [ev('A', 'idem-1', { amountFen: 12345 })]);
    // A retry carries the expected version the caller had before; it must not conflict.
    const again = await store.append('s-idem', 'case', 'no_stream', [ev('A', 'idem-1', { amountFen: 12345 })]);
    expect(again.duplicate).toBe(true);
    expect(again.events[0].eventId).toBe(first.events[0].eventId);
    expect(await store.readStream('s-idem')).toHaveLength(1);
  });

  it('resolves concurrent twins of one append to a single event', async () => {
    const twins = await Promise.all(Array.from({ length: 6 }, () => store.append('s-twins', 'case', 'no_stream', [ev('A', 'twin-1', { x: 1 })])));
    expect(new Set(twins.map((t) => t.events[0].eventId)).size).toBe(1);
    expect(twins.filter((t) => !t.duplicate)).toHaveLength(1);
    expect(await store.readStream('s-twins')).toHaveLength(1);
  });

  it('rejects the same idempotency key with different content', async () => {
    await store.append('s-idem2', 'case', 'no_stream', [ev('A', 'idem2-1', { amountFen: 100 })]);
    await expect(store.append('s-idem2', 'case', 1, [ev('A', 'idem2-1', { amountFen: 200 })])).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(store.append('s-other', 'case', 'no_stream', [ev('A', 'idem2-1', { amountFen: 100 })])).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('runs projectors in the same transaction: a failing projector leaves no event behind', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS proj_test (stream_id text PRIMARY KEY, n int)');
    const failing = new EventStore(db.pool, {
      projectors: [
        async (tx, _type, events) => {
          await tx.query('INSERT INTO proj_test VALUES ($1, $2)', [events[0].streamId, events.length]);
          if (events[0].data.fail) throw new Error('projection failed');
        },
      ],
    });
    await failing.append('s-proj-ok', 'case', 'no_stream', [ev('A', 'proj-1')]);
    await expect(failing.append('s-proj-bad', 'case', 'no_stream', [ev('A', 'proj-2', { fail: true })])).rejects.toThrow('projection failed');
    expect(await store.readStream('s-proj-bad')).toHaveLength(0);
    expect((await db.pool.query('SELECT stream_id FROM proj_test ORDER BY 1')).rows).toEqual([{ stream_id: 's-proj-ok' }]);
  });

  it('is append-only in the database itself', async () => {
    await store.append('s-immutable', 'case', 'no_stream', [ev('A', 'imm-1')]);
    await expect(db.pool.query(`UPDATE events SET data = '{}' WHERE stream_id = 's-immutable'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`DELETE FROM events WHERE stream_id = 's-immutable'`)).rejects.toThrow(/append-only/);
  });

  it('refuses TRUNCATE of events and of stream heads (row triggers do not see it)', async () => {
    await store.append('s-truncate', 'case', 'no_stream', [ev('A', 'trunc-1')]);
    await expect(db.pool.query('TRUNCATE events')).rejects.toThrow(/append-only: TRUNCATE events refused/);
    await expect(db.pool.query('TRUNCATE streams CASCADE')).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(db.pool.query('TRUNCATE events, streams')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await store.readStream('s-truncate')).toHaveLength(1);
    expect(await store.streamVersion('s-truncate')).toBe(1);
  });
});

describe('hash-chain verifier', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
    for (const s of ['a', 'b', 'c']) {
      await store.append(
        `v-${s}`,
        'case',
        'no_stream',
        [1, 2, 3].map((n) => ev('Step', `v-${s}-${n}`, { n, note: 'ü ✓', nested: { z: 1, a: [1, { b: 2 }] } })),
      );
    }
  });
  afterAll(() => db.drop());

  // Only the table owner can do this: it stands for someone editing rows behind the store's back.
  const tamper = (sql: string) =>
    db.pool.query(`BEGIN; ALTER TABLE events DISABLE TRIGGER events_no_update; ${sql}; ALTER TABLE events ENABLE TRIGGER events_no_update; COMMIT;`);

  it('accepts an untouched store', async () => {
    expect(await verifyChain(db.pool)).toEqual({ ok: true, streams: 3, events: 9 });
    expect(await verifyChain(db.pool, 'v-b')).toEqual({ ok: true, streams: 1, events: 3 });
  });

  it('reports the first edited row', async () => {
    await tamper(`UPDATE events SET data = jsonb_set(data, '{n}', '20') WHERE stream_id = 'v-b' AND version = 2`);
    const report = await verifyChain(db.pool);
    expect(report).toMatchObject({ ok: false, streamId: 'v-b', version: 2 });
    expect(report.ok === false && report.problem).toMatch(/edited/);
    await tamper(`UPDATE events SET data = jsonb_set(data, '{n}', '2') WHERE stream_id = 'v-b' AND version = 2`);
    expect((await verifyChain(db.pool)).ok).toBe(true);
  });

  it('reports a removed event and a rewritten link', async () => {
    await tamper(`DELETE FROM events WHERE stream_id = 'v-c' AND version = 2`);
    expect(await verifyChain(db.pool)).toMatchObject({ ok: false, streamId: 'v-c', version: 2, problem: expect.stringMatching(/missing/) });
    await tamper(`UPDATE events SET prev_hash = repeat('f', 64) WHERE stream_id = 'v-a' AND version = 3`);
    expect(await verifyChain(db.pool)).toMatchObject({ ok: false, streamId: 'v-a', version: 3 });
  });

  it('reports a stream whose events were all removed', async () => {
    await store.append('v-gone', 'case', 'no_stream', [ev('Step', 'v-gone-1')]);
    await tamper(`DELETE FROM events WHERE stream_id = 'v-gone'`);
    expect(await verifyChain(db.pool, 'v-gone')).toMatchObject({ ok: false, streamId: 'v-gone', problem: expect.stringMatching(/no events/) });
  });
});

describe('global order', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  async function drain(cursor?: string): Promise<{ events: StoredEvent[]; cursor?: string }> {
    const all: StoredEvent[] = [];
    for (;;) {
      const page = await store.readAll(cursor, 50);
      all.push(...page.events);
      if (page.events.length === 0) return { events: all, cursor };
      cursor = page.cursor;
    }
  }

  /** Reads on from `cursor` until `count` events that `ours` accepts were seen, or a minute passed. */
  async function drainUntil(cursor: string | undefined, count: number, ours: (e: StoredEvent) => boolean = () => true): Promise<StoredEvent[]> {
    const seen: StoredEvent[] = [];
    for (const until = Date.now() + 60_000; seen.filter(ours).length < count && Date.now() < until;) {
      const rest = await drain(cursor);
      seen.push(...rest.events);
      cursor = rest.cursor;
      if (rest.events.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    return seen;
  }

  it('never skips an event whose transaction committed after a later-numbered one', async () => {
    // Transaction A takes a position number and holds its commit open.
    const slow = await db.pool.connect();
    await slow.query('BEGIN');
    await slow.query(`INSERT INTO streams (stream_id, stream_type, version, last_hash) VALUES ('late', 'case', 1, 'x')`);
    await slow.query(`INSERT INTO events (stream_id, version, event_id, type, data, metadata, idempotency_key, fingerprint, prev_hash, hash, recorded_at)
      VALUES ('late', 1, gen_random_uuid(), 'Late', '{}', '{"actor":"t"}', 'late-1', 'f', 'p', 'h', now())`);
    // Transaction B commits a higher position number first.
    await store.append('early', 'case', 'no_stream', [ev('Early', 'early-1')]);
    const before = await drain();
    // B is invisible to readers while A (older) is in flight, so the cursor cannot pass A.
    expect(before.events.map((e) => e.type)).not.toContain('Early');
    await slow.query('COMMIT');
    slow.release();
    // Both are committed now, but a reader sees them only once no older transaction is in flight
    // anywhere in the cluster (another test file's, on a loaded machine): read until both came or
    // a minute passed. Had the cursor skipped A, it would never come.
    const after = await drainUntil(before.cursor, 2);
    expect(after.map((e) => e.type)).toEqual(['Late', 'Early']);
  });

  it('delivers every event exactly once to a reader polling during concurrent appends', async () => {
    const writers = Array.from({ length: 10 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 20; i++) await store.append(`g-${w}`, 'case', i === 0 ? 'no_stream' : i, [ev('G', `g-${w}-${i}`, { w, i })]);
      })(),
    );
    const seen: StoredEvent[] = [];
    let cursor: string | undefined;
    let writing = true;
    const done = Promise.all(writers).finally(() => {
      writing = false;
    });
    while (writing) {
      const page = await store.readAll(cursor, 37);
      seen.push(...page.events);
      cursor = page.cursor;
    }
    await done;
    // Every append has committed, but a reader sees an event only once no older transaction is in
    // flight anywhere in the cluster (another test file's, on a loaded machine). So keep reading
    // until all 200 are seen or a minute has passed: an event the cursor skipped would never come.
    const isOurs = (e: StoredEvent) => e.streamId.startsWith('g-');
    seen.push(...(await drainUntil(cursor, 200 - seen.filter(isOurs).length, isOurs)));
    const ours = seen.filter(isOurs);
    expect(ours).toHaveLength(200);
    expect(new Set(ours.map((e) => e.eventId)).size).toBe(200);
    // Within each stream the global order respects stream order.
    for (let w = 0; w < 10; w++) {
      expect(ours.filter((e) => e.streamId === `g-${w}`).map((e) => e.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  }, 120_000);
});
