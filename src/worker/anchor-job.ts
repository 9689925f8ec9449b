import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { writeAnchor } from '../store/anchor/write-anchor';
import { startRepeatingJob, type RepeatingJob } from './repeating-job';

/** `stop()` waits for a checkpoint in progress. */
export type AnchorJob = RepeatingJob;

/**
 * Writes a checkpoint now and then every `intervalMs`, one at a time. A store that no longer
 * verifies is reported on every round (and nothing is anchored) until someone looks; a round
 * that fails (database away) is simply retried at the next one.
 */
export function startAnchorJob(
  pool: Pool,
  opts: { file: string; privateKey: KeyObject; intervalMs: number },
  log: (line: string, level?: 'info' | 'error') => void,
): AnchorJob {
  const round = async () => {
    try {
      const outcome = await writeAnchor(pool, { file: opts.file, privateKey: opts.privateKey });
      if (outcome.written) log(`anchor: checkpoint #${outcome.checkpoint.seq} (${outcome.checkpoint.streams} streams, ${outcome.checkpoint.events} events)`);
      else if (outcome.reason === 'refused' && !outcome.report.ok) {
        const r = outcome.report;
        log(`anchor: REFUSED, the event store does not verify: stream ${r.streamId} version ${r.version}: ${r.problem}`, 'error');
      }
    } catch (e) {
      log(`anchor: round failed, retrying at the next: ${(e as Error).message}`, 'error');
    }
  };
  return startRepeatingJob(round, opts.intervalMs);
}
