/**
 * The Temporal Schedules the engine relies on, created by the worker process at start
 * (src/worker/main.ts; never by tests: the time-skipping test server has no schedules).
 */
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Keyring } from '../crypto/keyring';
import { engineDataConverter } from '../temporal/data-converter';
import { annualReview } from '../workflows/annual-review';
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

export const ANNUAL_REVIEW_SCHEDULE = 'annual-review';

/**
 * Issue #13: every 1 January at 01:00 UTC, open the year's re-verification review for every
 * enrolled household (`annualReview`). Idempotent like the reconciliation's; a missed run is
 * caught up within a week. The ids can be given (tests use their own on a shared server).
 */
export async function ensureAnnualReview(
  client: Client,
  taskQueue: string,
  ids: { scheduleId: string; workflowId: string } = { scheduleId: ANNUAL_REVIEW_SCHEDULE, workflowId: 'annual-review' },
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: ids.scheduleId,
      spec: { calendars: [{ month: 'JANUARY', dayOfMonth: 1, hour: 1, minute: 0, comment: '1 January, 01:00 UTC' }] },
      action: { type: 'startWorkflow', workflowType: annualReview, workflowId: ids.workflowId, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '7 days' },
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
    const client = new Client({ connection, namespace: opts.namespace, dataConverter: engineDataConverter(opts.payloadKeys) });
    report(`schedule ${DAILY_RECONCILIATION_SCHEDULE}: ${await ensureDailyReconciliation(client, opts.taskQueue)}`);
    report(`schedule ${ANNUAL_REVIEW_SCHEDULE}: ${await ensureAnnualReview(client, opts.taskQueue)}`);
  } catch (e) {
    report(`the schedules could not all be created: ${(e as Error).message}`);
  } finally {
    await connection?.close();
  }
}
