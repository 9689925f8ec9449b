/**
 * The Temporal Schedules the engine relies on, created by the worker process at start
 * (src/worker/main.ts; never by tests: the time-skipping test server has no schedules).
 */
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Keyring } from '../crypto/keyring';
import { engineDataConverter } from '../temporal/data-converter';
import { reconcileAllFunds } from '../workflows/reconciliation';

export const DAILY_RECONCILIATION_SCHEDULE = 'daily-reconciliation';

/**
 * Every day at 01:00 UTC, reconcile every fund's payouts of the day before against the bank
 * (`reconcileAllFunds`). Idempotent: an existing schedule is left as it is (delete it in the
 * Temporal UI or CLI to have it recreated with new settings). Missed runs are caught up for a
 * day; a run still going when the next is due makes the next one wait its turn.
 */
export async function ensureDailyReconciliation(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: DAILY_RECONCILIATION_SCHEDULE,
      spec: { calendars: [{ hour: 1, minute: 0, comment: '01:00 UTC' }] },
      action: { type: 'startWorkflow', workflowType: reconcileAllFunds, workflowId: 'reconcile-all-funds', taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 day' },
    });
    return 'created';
  } catch (e) {
    if (e instanceof ScheduleAlreadyRunning) return 'exists';
    throw e;
  }
}

/** Connects a client, makes sure the schedules exist, and disconnects; a failure is reported, not fatal (the worker still runs). */
export async function ensureSchedules(
  opts: { address: string; namespace: string; taskQueue: string; payloadKeys: Keyring },
  report: (line: string) => void,
): Promise<void> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: opts.address });
    const outcome = await ensureDailyReconciliation(
      new Client({ connection, namespace: opts.namespace, dataConverter: engineDataConverter(opts.payloadKeys) }),
      opts.taskQueue,
    );
    report(`schedule ${DAILY_RECONCILIATION_SCHEDULE}: ${outcome}`);
  } catch (e) {
    report(`schedule ${DAILY_RECONCILIATION_SCHEDULE} could not be created: ${(e as Error).message}`);
  } finally {
    await connection?.close();
  }
}
