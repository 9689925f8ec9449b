/**
 * Reconciliation of a fund's payouts of one UTC day against the bank (issue #4 item 4), and
 * the daily run over every fund that the `daily-reconciliation` Temporal Schedule starts at
 * 01:00 UTC for the day before (created by the worker process, src/worker/schedules.ts).
 * The work and its idempotence live in the activity; a day's workflow id is the id of the
 * day's reconciliation stream (`STREAM_ID.reconciliation`), so two requests for the same day share one run.
 */
import { SearchAttributeType, WorkflowExecutionAlreadyStartedError, defineSearchAttributeKey } from '@temporalio/common';
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation-activities';
import type { ReconciliationResult } from '../domain/funds/reconciliation';
import { STREAM_ID } from '../domain/streams';

export interface ReconciliationInput {
  fundId: string;
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  /** Who asked: a user id, or `system:schedule`. */
  requestedBy: string;
  /** Scheduled runs wait out a bank outage; a run someone waits for over HTTP gives up after a few tries. */
  patient?: boolean;
}

export const reconciliationWorkflowId = (fundId: string, date: string) => STREAM_ID.reconciliation(fundId, date);

const NON_RETRYABLE = ['not_found', 'statement_refused', 'IdempotencyConflictError'];

export async function reconciliation({ fundId, date, requestedBy, patient }: ReconciliationInput): Promise<ReconciliationResult> {
  const { reconcileFund } = proxyActivities<ReconciliationActivities>({
    startToCloseTimeout: '1 minute',
    retry: patient
      ? { initialInterval: '5 seconds', maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE }
      : { initialInterval: '1 second', maximumInterval: '8 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  return reconcileFund({ fundId, date, actor: requestedBy });
}

const { listFundIds } = proxyActivities<ReconciliationActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '1 minute' } });

/** Set by the server on workflows a schedule starts: the time the action was due. */
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The UTC day before `t`. */
export function dayBefore(t: Date): string {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() - 1)).toISOString().slice(0, 10);
}

export interface ReconcileAllResult {
  date: string;
  funds: { fundId: string; matched: number; mismatches: number }[];
  /** A run for that fund and day was already under way (e.g. asked for over HTTP); it records its own outcome. */
  alreadyRunning: string[];
  failed: { fundId: string; error: string }[];
}

/**
 * Every fund's reconciliation for one day, a few funds at a time. Without a date: the day
 * before the scheduled time (so a run caught up late still reconciles the day it was for).
 */
export async function reconcileAllFunds(input: { date?: string } = {}): Promise<ReconcileAllResult> {
  const scheduledAt = workflowInfo().typedSearchAttributes.get(ScheduledStartTime);
  const date = input.date ?? dayBefore(scheduledAt ?? new Date(Date.now()));
  const result: ReconcileAllResult = { date, funds: [], alreadyRunning: [], failed: [] };
  const fundIds = await listFundIds();
  for (let i = 0; i < fundIds.length; i += 10) {
    await Promise.all(
      fundIds.slice(i, i + 10).map(async (fundId) => {
        try {
          const r = await executeChild(reconciliation, {
            workflowId: reconciliationWorkflowId(fundId, date),
            workflowIdReusePolicy: 'ALLOW_DUPLICATE',
            args: [{ fundId, date, requestedBy: 'system:schedule', patient: true }],
          });
          result.funds.push({ fundId, matched: r.matched, mismatches: r.mismatches.length });
        } catch (e) {
          if (e instanceof WorkflowExecutionAlreadyStartedError) result.alreadyRunning.push(fundId);
          else result.failed.push({ fundId, error: (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message });
        }
      }),
    );
  }
  result.funds.sort((a, b) => a.fundId.localeCompare(b.fundId));
  return result;
}
