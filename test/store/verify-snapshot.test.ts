import { EventStore } from '../../src/store/event-store';
import { auditDecider } from '../../src/domain/audit/audit';
import { STREAM_ID } from '../../src/domain/streams';
import { handle } from '../../src/store/handle';
import type { ChainReport } from '../../src/store/verify-chain';
import { verifyChain } from '../../src/store/verify-chain';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * verify-chain under load: requests refused in a burst append to today's denial stream while
 * the verifier runs. It reads events and stream heads from one snapshot, so it must never
 * report a head that disagrees with its events (it used to, reading them at different times).
 */
describe('verify-chain during concurrent appends', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
    for (let s = 0; s < 5; s++)
      await store.append(
        `case-${s}`,
        'case',
        'no_stream',
        [1, 2, 3].map((n) => ({ type: 'Step', data: { n }, actor: 't', idempotencyKey: `case-${s}-${n}` })),
      );
  });
  afterAll(() => db.drop());

  it('raises no false alarm while denials are recorded', async () => {
    const stream = STREAM_ID.accessDenials(new Date());
    let writing = true;
    let appended = 0;
    const writers = Array.from({ length: 6 }, (_, w) =>
      (async () => {
        for (let i = 0; writing; i++) {
          await handle(
            store,
            stream,
            auditDecider,
            {
              type: 'RecordDenial',
              denial: { userId: `user-${w}`, role: 'applicant', jurisdiction: '522701101201', method: 'GET', path: '/supervision/stalled', reason: 'role' },
            },
            { appendOnly: true, actor: `user-${w}`, idempotencyKey: () => `denial-${w}-${i}` },
          );
          appended++;
        }
      })(),
    );
    const reports: ChainReport[] = [];
    try {
      while (reports.length < 60) reports.push(await verifyChain(db.pool));
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(reports.filter((r) => !r.ok)).toEqual([]);
    // The verifier really ran against a moving store.
    expect(new Set(reports.map((r) => r.events)).size).toBeGreaterThan(10);
    expect(await verifyChain(db.pool)).toEqual({ ok: true, streams: 6, events: 15 + appended });
  });
});
