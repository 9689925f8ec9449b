/**
 * Issue #13: each active pairing has a contact watcher (the `householdContact` workflow, id
 * `contact-{pairingId}`). The API starts it right after recording the pairing; a process that
 * died in between leaves a pairing without one, which the worker's sweep starts later. Both go
 * through here: start (or join the run already going), then say so on the pairing's row.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { markWatcherStarted, pairingsWithoutWatcher } from '../store/help/help-queries';
import { startOrJoin } from '../temporal/start-or-join';
import { householdContact, type HouseholdContactInput } from '../workflows/household-contact';

export const contactWatcherId = (pairingId: string) => `contact-${pairingId}`;

export async function startContactWatcher(client: Client, pool: Pool, taskQueue: string, input: HouseholdContactInput): Promise<void> {
  await startOrJoin(client, householdContact, { taskQueue, workflowId: contactWatcherId(input.pairingId), args: [input] });
  await markWatcherStarted(pool, input.pairingId);
}

/**
 * One round of the sweep: starts the watchers of pairings recorded more than `graceMs` ago (the
 * API may still be starting a younger one) and never marked started, up to `limit`. Returns how
 * many it started; a failure of one stops the round (the next round tries again).
 */
export async function startMissingWatchers(
  client: Client,
  pool: Pool,
  opts: { taskQueue: string; window: string; graceMs: number; limit: number; now?: Date },
): Promise<number> {
  const before = new Date((opts.now ?? new Date()).getTime() - opts.graceMs);
  const missing = await pairingsWithoutWatcher(pool, { before, limit: opts.limit });
  for (const p of missing) {
    await startContactWatcher(client, pool, opts.taskQueue, {
      pairingId: p.pairing_id,
      householdId: p.household_id,
      window: opts.window,
      lastContactAt: (p.last_visit_at ?? p.paired_at).toISOString(),
      ...(p.lost_contact_since && { lost: true }),
    });
  }
  return missing.length;
}
