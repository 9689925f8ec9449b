/**
 * Issue #13: the worker starts the contact watchers the API could not (it died between recording
 * a pairing and starting its watcher): at start, then every `intervalMs`, one round at a time.
 * A round that fails (Temporal or the database away) is retried at the next one.
 */
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Keyring } from '../crypto/keyring';
import { startMissingWatchers } from '../help/contact-watcher';
import { engineDataConverter } from '../temporal/data-converter';
import { startRepeatingJob, type RepeatingJob } from './repeating-job';

/** A pairing younger than this is left to the API, which may still be starting its watcher. */
export const SWEEP_GRACE_MS = 60_000;
const ROUND_LIMIT = 500;

export type ContactWatcherSweep = RepeatingJob;

export function startContactWatcherSweep(
  pool: Pool,
  opts: { address: string; namespace: string; taskQueue: string; payloadKeys: Keyring; window: string; intervalMs: number },
  log: (line: string, level?: 'info' | 'error') => void,
): ContactWatcherSweep {
  let stopped = false;
  let connection: Connection | undefined;
  const round = async () => {
    try {
      connection ??= await Connection.connect({ address: opts.address });
      const client = new Client({ connection, namespace: opts.namespace, dataConverter: engineDataConverter(opts.payloadKeys) });
      let started = 0;
      for (let n = ROUND_LIMIT; n === ROUND_LIMIT && !stopped; started += n) {
        n = await startMissingWatchers(client, pool, { taskQueue: opts.taskQueue, window: opts.window, graceMs: SWEEP_GRACE_MS, limit: ROUND_LIMIT });
      }
      if (started > 0) log(`contact watchers: started ${started} that pairings were missing`);
    } catch (e) {
      log(`contact watchers: round failed, retrying at the next: ${(e as Error).message}`, 'error');
    }
  };
  const job = startRepeatingJob(round, opts.intervalMs, async () => {
    await connection?.close();
  });
  return {
    async stop() {
      stopped = true; // ends a round's paging early
      await job.stop();
    },
  };
}
