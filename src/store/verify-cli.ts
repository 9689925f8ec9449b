/**
 * `npm run verify-chain [streamId]`: checks every event's hash chain and, when an anchor key is
 * configured (ANCHOR_PUBLIC_KEY_FILE, or ANCHOR_KEY_FILE), every head anchored in the signed
 * checkpoints of ANCHOR_FILE; prints the first finding. Exit 0: sound; 1: a finding; 2: could not check.
 */
import { loadConfig } from '../config/config';
import { createPool } from './db';
import { verifyAgainstAnchors } from './anchor/verify-anchored';
import { verifyChain } from './verify-chain';

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.databaseUrl, 2);
  const { publicKey, file } = config.anchor;
  try {
    if (!publicKey) {
      process.stderr.write(
        'verify-chain: no anchor key configured (ANCHOR_PUBLIC_KEY_FILE or ANCHOR_KEY_FILE): checking the hash chain only, which a superuser can recompute\n',
      );
    }
    const report = publicKey ? await verifyAgainstAnchors(pool, { file, publicKey }, process.argv[2]) : await verifyChain(pool, process.argv[2]);
    if (report.ok && report.anchors?.checkpoints === 0) process.stderr.write(`verify-chain: no checkpoints in ${file} yet (npm run anchor writes one)\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

void main().catch((e: Error) => {
  process.stderr.write(`verify-chain: ${e.message}\n`);
  process.exit(2);
});
