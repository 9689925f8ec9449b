/**
 * What an event-store append costs next to the cheapest write Postgres can do: rounds of
 * `writers` concurrent writers each making single-event appends to fresh streams, interleaved
 * with rounds of as many clients each committing single-row INSERT transactions into a plain
 * table. Interleaving puts both under the same load from whatever else runs on the machine, so
 * the ratio means more than either figure. Figures, not pass/fail.
 *
 * Run on its own: `node dist/bench/append-vs-insert.js` with DATABASE_URL set (it migrates).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../store/db';
import { EventStore } from '../store/event-store';
import { migrate } from '../store/migrate';
import { postgresDurability } from './postgres-durability';

export interface AppendsVersusInsertsOptions {
  /** Concurrent writers (and as many inserting clients). */
  writers: number;
  /** Rounds of each kind, alternated. */
  rounds: number;
  /** Writes per writer per round (default 50). */
  perRound?: number;
}

export interface AppendsVersusInserts {
  appendsPerSec: number;
  insertsPerSec: number;
  /** appendsPerSec / insertsPerSec. */
  ratio: number;
}

const BASELINE_TABLE = 'bench_plain_inserts';

export async function appendsVersusInserts(pool: Pool, { writers, rounds, perRound = 50 }: AppendsVersusInsertsOptions): Promise<AppendsVersusInserts> {
  // A plain table: a key and a payload, no trigger and no foreign key.
  await pool.query(`CREATE TABLE IF NOT EXISTS ${BASELINE_TABLE} (id uuid PRIMARY KEY, data jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  const store = new EventStore(pool);
  const append = async () => {
    const id = `bench-${randomUUID()}`;
    await store.append(id, 'bench', 'no_stream', [{ type: 'Tick', actor: 'bench', idempotencyKey: `${id}#1`, data: { v: 1, amountFen: 1234 } }]);
  };
  const insert = async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${BASELINE_TABLE} (id, data) VALUES ($1, $2)`, [randomUUID(), { v: 1, amountFen: 1234 }]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  const round = async (write: () => Promise<void>): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < perRound; i++) await write();
      }),
    );
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  await round(append); // warm: connections, plans, the function's cache
  await round(insert);
  let appendSecs = 0;
  let insertSecs = 0;
  for (let r = 0; r < rounds; r++) {
    appendSecs += await round(append);
    insertSecs += await round(insert);
  }
  const writes = rounds * writers * perRound;
  const appendsPerSec = writes / appendSecs;
  const insertsPerSec = writes / insertSecs;
  return { appendsPerSec, insertsPerSec, ratio: appendsPerSec / insertsPerSec };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const writers = Number(process.env.BENCH_WRITERS ?? 8);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
  const pool = createPool(url, writers + 2);
  try {
    await migrate(pool);
    process.stdout.write(`  ${await postgresDurability(pool)}\n`);
    const r = await appendsVersusInserts(pool, { writers, rounds });
    process.stdout.write(
      `  ${writers} writers, ${rounds} rounds: appends ${r.appendsPerSec.toFixed(0)}/s, single-row INSERT transactions ${r.insertsPerSec.toFixed(0)}/s, ratio ${r.ratio.toFixed(2)}\n`,
    );
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
