/**
 * `npm run anchor`: writes one signed checkpoint of the event store to ANCHOR_FILE, signed with
 * ANCHOR_KEY_FILE, after verifying the store against the checkpoints so far. Exit 0: written
 * (or nothing new to anchor); 1: the store does not verify, nothing written; 2: could not run.
 */
import { loadConfig } from '../../config/config';
import { createPool } from '../db';
import { writeAnchor } from './write-anchor';

async function main(): Promise<void> {
  const config = loadConfig();
  const { privateKey, file } = config.anchor;
  if (!privateKey) throw new Error('ANCHOR_KEY_FILE is not set: the checkpoint needs the Ed25519 private key to sign with');
  const pool = createPool(config.databaseUrl, 2);
  try {
    const outcome = await writeAnchor(pool, { file, privateKey });
    if (outcome.written) {
      const c = outcome.checkpoint;
      process.stdout.write(`anchor: checkpoint #${c.seq} in ${file}: ${c.streams} streams, ${c.events} events, root ${c.root}\n`);
    } else if (outcome.reason === 'unchanged') {
      process.stdout.write(`anchor: nothing appended since checkpoint #${outcome.latestSeq}; it still covers the store\n`);
    } else if (outcome.reason === 'busy') {
      throw new Error('another process is writing a checkpoint; try again');
    } else {
      process.stdout.write(`${JSON.stringify(outcome.report, null, 2)}\n`);
      process.stderr.write('anchor: the store does not verify; no checkpoint written\n');
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
  }
}

void main().catch((e: Error) => {
  process.stderr.write(`anchor: ${e.message}\n`);
  process.exit(2);
});
