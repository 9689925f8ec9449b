/** `npm run verify-chain [streamId]`: checks every event's hash chain and prints the first broken link. */
import { loadConfig } from '../config/config';
import { createPool } from './db';
import { verifyChain } from './verify-chain';

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.databaseUrl, 2);
  try {
    const report = await verifyChain(pool, process.argv[2]);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

void main().catch((e: Error) => { process.stderr.write(`verify-chain: ${e.message}\n`); process.exit(2); });
