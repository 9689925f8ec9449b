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

/** A pairing younger than this is left to the API, which may still be starting its watcher. */
export const SWEEP_GRACE_MS = 60_000;
const ROUND_LIMIT = 500;

export interface ContactWatcherSweep {
  stop(): Promise<void>;
}

export function startContactWatcherSweep(
  pool: Pool,
  opts: { address: string; namespace: string; taskQueue: string; payloadKeys: Keyring; window: string; intervalMs: number },
  log: (line: string, level?: 'info' | 'error') => void,
): ContactWatcherSweep {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
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
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(() => schedule(opts.intervalMs));
    }, delay);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await connection?.close();
    },
  };
}
