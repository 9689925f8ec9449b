/**
 * `node dist/bench/summary-bench-cli.js` (after `npm run build`): the supervision summary
 * benchmark alone, in a scratch database it creates on DATABASE_URL's server and drops after.
 * BENCH_CASES (100000) and BENCH_SHAPE (`bench`, as run-bench.ts seeds, or `spread`).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { loadConfig } from '../config/config';
import { createPool } from '../store/db';
import { migrate } from '../store/migrate';
import { benchSummary } from './summary-bench';

async function main(): Promise<void> {
  const server = loadConfig().databaseUrl;
  const admin = createPool(server, 1);
  const name = `bench_summary_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 4);
  try {
    await migrate(pool);
    process.stdout.write(`machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}\n`);
    await benchSummary(pool, Number(process.env.BENCH_CASES ?? 100_000), process.env.BENCH_SHAPE === 'spread' ? 'spread' : 'bench');
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
