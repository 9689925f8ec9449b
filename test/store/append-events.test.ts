import fc from 'fast-check';
import { canonicalJson } from '../../src/store/canonical-json';
import { ConcurrencyError, IdempotencyConflictError } from '../../src/store/errors';
import { EventStore } from '../../src/store/event-store';
import { GENESIS_HASH, contentFingerprint, eventHash, openCanonical } from '../../src/store/hash-chain';
import { migrate } from '../../src/store/migrate';
import { projectorOf } from '../../src/store/projector';
import type { NewEvent, StoredEvent } from '../../src/store/types';
import { verifyChain } from '../../src/store/verify-chain';
import { createTestDatabase, type TestDatabase } from '../support/db';

const ev = (type: string, key: string, data: Record<string, unknown> = {}): NewEvent => ({ type, data, actor: 'user:test', idempotencyKey: key });

/** The hash the verifier expects of a stored event: the JS formula over what was read back. */
const jsHash = (e: StoredEvent) =>
  eventHash(e.prevHash, {
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  });

/** Every event links to the one before it and its hash is the JS formula's. */
function expectChained(events: StoredEvent[]): void {
  expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
  events.forEach((e, i) => {
    expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
    expect(e.hash).toBe(jsHash(e));
  });
}

/** JSON that JSON.stringify and jsonb agree on, chosen to trip an encoder up. */
const AWKWARD = {
  chinese: '黔东南州凯里市 三棵树镇',
  emoji: ['😀', '👩‍👩‍👧', '🇨🇳'],
  quotes: `"double" 'single' \`back\``,
  backslashes: 'C:\\temp\\new \\u0041 \\\\',
  controls: '\t\n\r\b\f\u0001\u001f\u007f',
  separators: 'line\u2028para\u2029',
  html: '</script><!--',
  composed: ['é', 'e\u0301'],
  nested: [[], [[1, [2, [3, { deep: [null, true, false] }]]]], { '': '' }],
  numbers: [1e21, -0, 0, -1, 0.1, 1.5e-7, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, -123456.789, 1e-7, 100],
  keys: { z: 1, Z: 2, é: 3, 键: 4, '😀': 5, '\uffff': 6, a: 7, 'a b': 8, '"': 9 },
  empty: {},
  nothing: null,
};

describe('append_events (migration 015): an append in one statement', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  it('computes in SQL the very hash eventHash() computes, for awkward JSON', async () => {
    const first = await store.append('h-awkward', 'case', 'no_stream', [
      ev('Awkward', 'awk-1', AWKWARD),
      ev('Awkward', 'awk-2', { again: AWKWARD, n: -0 }),
      { ...ev('Meta', 'awk-3', { x: '✓' }), metadata: { correlation: 'ü"\\', nested: { b: [1e21], a: '😀' } } },
    ]);
    const read = await store.readStream('h-awkward');
    expectChained(read);
    expect(first.events.map((e) => e.hash)).toEqual(read.map((e) => e.hash));
    expect(read[0].data).toEqual(JSON.parse(JSON.stringify(AWKWARD)));
    expect(await verifyChain(db.pool, 'h-awkward')).toEqual({ ok: true, streams: 1, events: 3 });
  });

  it('computes the same hash as eventHash() for any JSON the store takes', async () => {
    let n = 0;
    const value = fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
    await fc.assert(
      fc.asyncProperty(value, fc.jsonValue({ maxDepth: 1 }), async (data, extra) => {
        const id = `h-prop-${n++}`;
        await store.append(id, 'case', 'no_stream', [{ ...ev('Any', `${id}-1`, { data }), metadata: { extra } }]);
        await store.append(id, 'case', 'any', [ev('Any', `${id}-2`, { data: [data, data] })]);
        expectChained(await store.readStream(id));
      }),
      { numRuns: 60 },
    );
  });

  it('writes the version at the end of the text the caller sends (canonical JSON puts it last)', () => {
    const fields = { streamId: 's', eventId: 'e', type: 'T', data: { z: 1, a: '键' }, metadata: { actor: 'a' }, recordedAt: '2026-01-01T00:00:00.000Z' };
    expect(`${openCanonical(fields)},"version":12}`).toBe(canonicalJson({ ...fields, version: 12 }));
  });

  it('gives a retry the first result, flagged duplicate, and appends nothing', async () => {
    const events = [ev('A', 'retry-1', { amountFen: 1 }), ev('B', 'retry-2', { amountFen: 2 })];
    const first = await store.append('s-retry', 'case', 'no_stream', events);
    await store.append('s-retry', 'case', 2, [ev('C', 'retry-3')]);
    const again = await store.append('s-retry', 'case', 'no_stream', events);
    expect(again).toEqual({ ...first, duplicate: true, version: 3 });
    expect(first.duplicate).toBe(false);
    expect(await store.streamVersion('s-retry')).toBe(3);
  });

  it('refuses a retry with keys not stored or content changed, naming the key', async () => {
    await store.append('s-partial', 'case', 'no_stream', [ev('A', 'partial-1', { n: 1 }), ev('B', 'partial-2', { n: 2 })]);
    // Some of the stored events, all of them stored: a retry (as before 015).
    expect(await store.append('s-partial', 'case', 2, [ev('A', 'partial-1', { n: 1 })])).toMatchObject({ duplicate: true, events: [{ version: 1 }] });
    await expect(store.append('s-partial', 'case', 2, [ev('A', 'partial-1', { n: 1 }), ev('B', 'partial-2', { n: 2 }), ev('C', 'partial-3')])).rejects.toEqual(
      // As before 015, a count that differs is charged to the first key.
      new IdempotencyConflictError('partial-1'),
    );
    await expect(store.append('s-partial', 'case', 2, [ev('A', 'partial-1', { n: 1 }), ev('B', 'partial-2', { n: 3 })])).rejects.toEqual(
      new IdempotencyConflictError('partial-2'),
    );
    await expect(store.append('s-partial', 'case', 2, [ev('A', 'partial-9'), ev('B', 'partial-2', { n: 2 })])).rejects.toBeInstanceOf(IdempotencyConflictError);
    // The same key and content on another stream is another event: refused too.
    await expect(store.append('s-partial-2', 'case', 'no_stream', [ev('A', 'partial-1', { n: 1 })])).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await store.streamVersion('s-partial')).toBe(2);
    expect(await store.streamVersion('s-partial-2')).toBe(0);
  });

  it('refuses a wrong expected version with the actual one and writes nothing', async () => {
    await store.append('s-version', 'case', 'no_stream', [ev('A', 'version-1'), ev('A', 'version-2')]);
    const at = (expected: number | 'no_stream') => store.append('s-version', 'case', expected, [ev('B', `version-${String(expected)}-b`)]);
    await expect(at('no_stream')).rejects.toEqual(new ConcurrencyError('s-version', 'no_stream', 2));
    await expect(at(1)).rejects.toMatchObject({ name: 'ConcurrencyError', streamId: 's-version', expected: 1, actual: 2 });
    await expect(at(3)).rejects.toMatchObject({ expected: 3, actual: 2 });
    await expect(store.append('s-version-new', 'case', 4, [ev('A', 'version-new')])).rejects.toMatchObject({ expected: 4, actual: 0 });
    expect(await store.streamVersion('s-version')).toBe(2);
    // The refused append to a new stream left no stream behind.
    expect((await db.pool.query(`SELECT 1 FROM streams WHERE stream_id = 's-version-new'`)).rowCount).toBe(0);
  });

  it('refuses an append of another stream type, even at any version', async () => {
    await store.append('s-typed', 'fund', 'no_stream', [ev('Opened', 'typed-1')]);
    await expect(store.append('s-typed', 'case', 1, [ev('A', 'typed-2')])).rejects.toThrow('stream s-typed is a fund, not a case');
    await expect(store.append('s-typed', 'case', 'any', [ev('A', 'typed-3')])).rejects.toThrow('stream s-typed is a fund, not a case');
    expect(await store.streamVersion('s-typed')).toBe(1);
  });

  it('appends at any version, the version counted in SQL', async () => {
    const a = await store.append('s-any', 'audit', 'any', [ev('Seen', 'any-1')]);
    const b = await store.append('s-any', 'audit', 'any', [ev('Seen', 'any-2'), ev('Seen', 'any-3')]);
    expect([a.version, b.version, b.events.map((e) => e.version)]).toEqual([1, 3, [2, 3]]);
    expectChained(await store.readStream('s-any'));
  });

  it('never forks the chain under concurrent appends to one stream', async () => {
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 10; i++) {
          const events = Array.from({ length: 1 + (i % 2) }, (_, k) => ev('Seen', `fork-${w}-${i}-${k}`, { w, i, k }));
          await store.append('s-fork', 'audit', 'any', events);
        }
      })(),
    );
    await Promise.all(writers);
    const read = await store.readStream('s-fork');
    expect(read).toHaveLength(8 * 15);
    expectChained(read);
    expect(await verifyChain(db.pool, 's-fork')).toEqual({ ok: true, streams: 1, events: 120 });
  });

  it('refuses, in the database, an event built for another stream', async () => {
    const canonical = openCanonical({
      streamId: 'elsewhere',
      eventId: '00000000-0000-4000-8000-000000000001',
      type: 'A',
      data: {},
      metadata: { actor: 'a' },
      recordedAt: new Date().toISOString(),
    });
    const events = JSON.stringify([{ key: 'elsewhere-1', fingerprint: contentFingerprint('s-here', 'A', {}), canonical }]);
    await expect(db.pool.query(`SELECT * FROM append_events('s-here', 'case', 0, $1::jsonb, true)`, [events])).rejects.toThrow(/of stream elsewhere/);
  });
});

describe('append_events (migration 021): only a retry looks its keys up', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  const call = (streamId: string, expected: number, key: string, checkKeys: boolean) => {
    const canonical = openCanonical({
      streamId,
      eventId: '00000000-0000-4000-8000-0000000000a1',
      type: 'A',
      data: { n: 1 },
      metadata: { actor: 'user:test' },
      recordedAt: '2026-12-02T08:00:00.000Z',
    });
    const events = JSON.stringify([{ key, fingerprint: contentFingerprint(streamId, 'A', { n: 1 }), canonical }]);
    return db.pool.query<{ duplicate: boolean; version: number }>(`SELECT duplicate, version FROM append_events($1, 'case', $2, $3::jsonb, $4)`, [
      streamId,
      expected,
      events,
      checkKeys,
    ]);
  };

  it('a first attempt with a stored key fails on the unique index and writes nothing; with the check it is a retry', async () => {
    await store.append('s-lookup', 'case', 'no_stream', [ev('A', 'lookup-1', { n: 1 })]);
    // Repeated at the version it was first made at: the stream moved on, so without the check it is a version conflict.
    await expect(call('s-lookup', 0, 'lookup-1', false)).rejects.toMatchObject({ code: 'EV001' });
    // The same key on another stream: without the check, the unique index refuses it, and nothing is left behind.
    await expect(call('s-lookup-other', 0, 'lookup-1', false)).rejects.toMatchObject({ code: '23505' });
    expect((await db.pool.query(`SELECT 1 FROM streams WHERE stream_id = 's-lookup-other'`)).rowCount).toBe(0);
    // With the check: the first is a retry (the stored row, flagged), the second another event's key.
    expect((await call('s-lookup', 0, 'lookup-1', true)).rows).toEqual([{ duplicate: true, version: 1 }]);
    await expect(call('s-lookup-other', 0, 'lookup-1', true)).rejects.toMatchObject({ code: 'EV002' });
    expect(await store.streamVersion('s-lookup')).toBe(1);
  });

  it('gives every one of many concurrent copies of one first append the same result, one of them not a duplicate', async () => {
    const events = [ev('A', 'copies-1', { n: 1 }), ev('B', 'copies-2', { n: 2 })];
    const results = await Promise.all(Array.from({ length: 8 }, () => store.append('s-copies', 'case', 'no_stream', events)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const hashes = new Set(results.map((r) => r.events.map((e) => e.hash).join()));
    expect(hashes.size).toBe(1);
    expect(results.every((r) => r.version === 2)).toBe(true);
    expect(await verifyChain(db.pool, 's-copies')).toEqual({ ok: true, streams: 1, events: 2 });
  });
});

describe('projectors that name their stream types', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('run only for their streams, in the append transaction, and never on a retry', async () => {
    const seen: string[] = [];
    const funds = projectorOf(['fund'], async (tx, events) => {
      await tx.query('SELECT 1');
      seen.push(...events.map((e) => `${e.streamId}@${e.version}`));
      if (events.some((e) => e.data.fail)) throw new Error('fund projection failed');
    });
    const store = new EventStore(db.pool, { projectors: [funds] });
    await store.append('p-case', 'case', 'no_stream', [ev('A', 'p-case-1', { fail: true })]);
    await store.append('p-fund', 'fund', 'no_stream', [ev('A', 'p-fund-1')]);
    await store.append('p-fund', 'fund', 'no_stream', [ev('A', 'p-fund-1')]);
    await expect(store.append('p-fund', 'fund', 1, [ev('A', 'p-fund-2', { fail: true })])).rejects.toThrow('fund projection failed');
    expect(seen).toEqual(['p-fund@1', 'p-fund@2']);
    expect(await store.streamVersion('p-case')).toBe(1);
    expect(await store.streamVersion('p-fund')).toBe(1);
  });

  it('ignore another stream handed to them directly; a projector naming none sees every stream', async () => {
    const seen: string[] = [];
    const cases = projectorOf(['case'], async (_tx, events, streamType) => {
      seen.push(`case projector: ${streamType} ${events.length}`);
    });
    const store = new EventStore(db.pool, {
      projectors: [
        cases,
        async (_tx, streamType) => {
          seen.push(`any: ${streamType}`);
        },
      ],
    });
    await cases(undefined as never, 'fund', []);
    await store.append('q-case', 'case', 'no_stream', [ev('A', 'q-case-1')]);
    await store.append('q-audit', 'audit', 'any', [ev('A', 'q-audit-1')]);
    expect(seen).toEqual(['case projector: case 1', 'any: case', 'any: audit']);
    expect(cases.streamTypes).toEqual(['case']);
  });
});

describe('migration 015 on a store with events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ before: '015-append-events' });
  });
  afterAll(() => db.drop());

  it('goes on with the chains appended before it', async () => {
    // Two events as the store appended them before 015: hashed in JS, inserted row by row.
    await db.pool.query(`INSERT INTO streams (stream_id, stream_type, version, last_hash) VALUES ('old', 'case', 0, $1)`, [GENESIS_HASH]);
    let prev = GENESIS_HASH;
    for (const version of [1, 2]) {
      const fields = {
        streamId: 'old',
        version,
        eventId: `00000000-0000-4000-8000-00000000000${version}`,
        type: 'Old',
        data: { version, note: '旧' },
        metadata: { actor: 'user:old' },
        recordedAt: `2026-01-0${version}T08:00:00.000Z`,
      };
      const hash = eventHash(prev, fields);
      await db.pool.query(
        `INSERT INTO events (stream_id, version, event_id, type, data, metadata, idempotency_key, fingerprint, prev_hash, hash, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          'old',
          version,
          fields.eventId,
          'Old',
          fields.data,
          fields.metadata,
          `old-${version}`,
          contentFingerprint('old', 'Old', fields.data),
          prev,
          hash,
          fields.recordedAt,
        ],
      );
      await db.pool.query(`UPDATE streams SET version = $1, last_hash = $2 WHERE stream_id = 'old'`, [version, hash]);
      prev = hash;
    }
    expect((await migrate(db.pool))[0]).toBe('015-append-events');
    const store = new EventStore(db.pool);
    const retried = await store.append('old', 'case', 'no_stream', [ev('Old', 'old-1', { version: 1, note: '旧' })]);
    expect(retried).toMatchObject({ duplicate: true, version: 2, events: [{ version: 1, hash: expect.any(String) }] });
    await store.append('old', 'case', 2, [ev('New', 'new-3', { note: '新' })]);
    expectChained(await store.readStream('old'));
    expect(await verifyChain(db.pool)).toEqual({ ok: true, streams: 1, events: 3 });
  });
});
