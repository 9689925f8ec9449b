/**
 * What a projector adds to an append: ms per append of the same events with no projector and
 * with the one that reads the stream, one writer, the two interleaved round by round so both
 * see the same load. The empty projector's row is the price of the transaction alone (BEGIN and
 * COMMIT around the one statement an append is when no projector reads its stream). Figures,
 * not pass/fail.
 *
 * Run: `node dist/bench/projector-costs.js` with DATABASE_URL set (it migrates).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../store/db';
import { EventStore } from '../store/event-store';
import { migrate } from '../store/migrate';
import { denialProjector } from '../store/projections/denials';
import { fundProjector } from '../store/projections/funds';
import type { NewEvent, Projector } from '../store/types';

const COUNTY = '522701';

interface Scenario {
  label: string;
  projector: Projector;
  /** Appends `count` events to a fresh stream, one append each, through `store`. */
  run(store: EventStore, count: number): Promise<void>;
}

const event = (type: string, data: Record<string, unknown>): NewEvent => ({ type, data, actor: 'system:bench', idempotencyKey: randomUUID() });

const SCENARIOS: Scenario[] = [
  {
    label: 'fund stream, fundProjector (ledger and balances)',
    projector: fundProjector,
    async run(store, count) {
      const fundId = `fund-bench-${randomUUID()}`;
      await store.append(fundId, 'fund', 'no_stream', [
        event('FundOpened', { fundId, name: 'Bench fund', jurisdiction: COUNTY, account: `acct-${fundId}`, currency: 'CNY' }),
      ]);
      for (let v = 1; v < count; v++) {
        await store.append(fundId, 'fund', v, [event('Deposited', { amountFen: 1_000, source: 'donation', reference: `r-${v}` })]);
      }
    },
  },
  {
    label: 'audit stream, denialProjector (one row per denial)',
    projector: denialProjector,
    async run(store, count) {
      const streamId = `audit-denials-bench-${randomUUID()}`;
      const denial = { userId: 'u-bench', role: 'applicant', jurisdiction: COUNTY, method: 'GET', path: '/funds', reason: 'role' };
      for (let i = 0; i < count; i++) await store.append(streamId, 'audit', 'any', [event('AccessDenied', denial)]);
    },
  },
  {
    label: 'stream no projector reads, an empty projector (the transaction alone)',
    projector: async () => undefined,
    async run(store, count) {
      const streamId = `bench-${randomUUID()}`;
      for (let v = 0; v < count; v++) await store.append(streamId, 'bench', v === 0 ? 'no_stream' : v, [event('Tick', { v })]);
    },
  },
];

export interface ProjectorCost {
  label: string;
  withoutMs: number;
  withMs: number;
}

/** ms per append of each scenario without and with its projector. */
export async function projectorCosts(pool: Pool, { rounds = 5, perRound = 40 } = {}): Promise<ProjectorCost[]> {
  await pool.query(`INSERT INTO jurisdictions (code, name, level) VALUES ($1, 'Bench county', 'county') ON CONFLICT DO NOTHING`, [COUNTY]);
  const bare = new EventStore(pool);
  const costs: ProjectorCost[] = [];
  for (const s of SCENARIOS) {
    const projected = new EventStore(pool, { projectors: [s.projector] });
    const time = async (store: EventStore) => {
      const t0 = process.hrtime.bigint();
      await s.run(store, perRound);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    await time(bare); // warm
    await time(projected);
    let without = 0;
    let withIt = 0;
    for (let r = 0; r < rounds; r++) {
      without += await time(bare);
      withIt += await time(projected);
    }
    costs.push({ label: s.label, withoutMs: without / (rounds * perRound), withMs: withIt / (rounds * perRound) });
  }
  return costs;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const pool = createPool(url, 4);
  try {
    await migrate(pool);
    for (const c of await projectorCosts(pool)) {
      const extra = c.withMs - c.withoutMs;
      process.stdout.write(
        `  ${c.label.padEnd(72)} without ${c.withoutMs.toFixed(2)} ms   with ${c.withMs.toFixed(2)} ms   (+${extra.toFixed(2)} ms per append)\n`,
      );
    }
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
