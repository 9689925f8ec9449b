import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { EventStore } from '../store/event-store';

/** Appends (or inserts) each writer makes in one round. */
const PER_WRITER = 100;

/**
 * Event-store appends against the floor under them, in interleaved rounds so that the machine's
 * noise hits both alike: `writers` concurrent writers each append single events to a stream of
 * their own (EventStore.append, as the engine calls it), then as many single-row INSERTs, each
 * its own transaction (autocommit), of a row shaped like an event. The first side alternates.
 */
export async function appendsVersusInserts(
  pool: Pool,
  opts: { writers: number; rounds: number },
): Promise<{ appendsPerSec: number; insertsPerSec: number; ratio: number }> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_inserts (
    id bigserial PRIMARY KEY, stream_id text NOT NULL, n int NOT NULL, data jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  const store = new EventStore(pool);
  const appends = (w: number) => async () => {
    const id = `bench-${randomUUID()}`;
    for (let v = 0; v < PER_WRITER; v++) {
      await store.append(id, 'bench', v === 0 ? 'no_stream' : v, [
        { type: 'Tick', actor: `bench-${w}`, idempotencyKey: `${id}#${v + 1}`, data: { v, amountFen: 1234 } },
      ]);
    }
  };
  const inserts = () => async () => {
    const id = `bench-${randomUUID()}`;
    for (let v = 0; v < PER_WRITER; v++) {
      await pool.query('INSERT INTO bench_inserts (stream_id, n, data) VALUES ($1, $2, $3)', [id, v, { v, amountFen: 1234 }]);
    }
  };
  const seconds = { appends: 0, inserts: 0 };
  const round = async (side: 'appends' | 'inserts') => {
    const t0 = Date.now();
    await Promise.all(Array.from({ length: opts.writers }, (_, w) => (side === 'appends' ? appends(w) : inserts())()));
    seconds[side] += (Date.now() - t0) / 1000;
  };
  await round('appends'); // warm both: the first round of each is not counted
  await round('inserts');
  seconds.appends = seconds.inserts = 0;
  for (let r = 0; r < opts.rounds; r++) {
    const [first, second] = r % 2 === 0 ? (['appends', 'inserts'] as const) : (['inserts', 'appends'] as const);
    await round(first);
    await round(second);
  }
  const ops = opts.rounds * opts.writers * PER_WRITER;
  const appendsPerSec = ops / seconds.appends;
  const insertsPerSec = ops / seconds.inserts;
  return { appendsPerSec, insertsPerSec, ratio: appendsPerSec / insertsPerSec };
}
