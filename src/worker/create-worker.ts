import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { PaymentGateway } from '../activities/bank/payment-gateway';
import { WORKER_MAX_CACHED_WORKFLOWS_DEFAULT, WORKER_SLOT_DEFAULTS, type Config } from '../config/config';
import type { Keyring } from '../crypto/keyring';
import type { ApprovalThresholds } from '../domain/funds/approval-policy';
import { createCaseActivities } from '../activities/case-activities';
import { createComparisonActivities } from '../activities/comparison-activities';
import { refusingBadData } from '../activities/data-errors';
import { createDisbursementActivities } from '../activities/disbursement-activities';
import { createHelpActivities } from '../activities/help-activities';
import { createIntakeActivities } from '../activities/intake-activities';
import { createLoanActivities } from '../activities/loan-activities';
import { createReconciliationActivities } from '../activities/reconciliation-activities';
import { createEventStore } from '../store/create-event-store';
import { engineDataConverter } from '../temporal/data-converter';
import { WORKFLOWS_PATH } from './workflow-bundle';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** The bank; outside the system, so the one thing tests may stand in for. */
  bank: PaymentGateway;
  /** The payload keyring (config PAYLOAD_KEYS): encrypts what the worker sends Temporal, opens account numbers for the bank. */
  payloadKeys: Keyring;
  /**
   * A prebuilt workflow bundle (see workflow-bundle.ts). Without it the worker bundles the
   * workflows itself at start (webpack: several seconds of CPU).
   */
  workflowBundlePath?: string;
  /**
   * What starting a case needs (config ID_HASH_KEY, the default policy, SEARCH_ATTRIBUTES): the
   * bulk intake's activities start cases. Without it this worker runs no bulk intake (test
   * workers of the other processes).
   */
  applications?: Pick<Config, 'idHashKey' | 'publicityPeriod' | 'stageTimeLimit' | 'searchAttributes'> & { escalateAfter?: string };
  /** Who must approve a loan's payout, by amount (config APPROVAL_*; the defaults without it), as the API applies them. */
  approvalThresholds?: ApprovalThresholds;
  /** Concurrency limits (config WORKER_WORKFLOW_TASK_SLOTS, WORKER_ACTIVITY_SLOTS); see config.ts for why small. */
  slots?: { workflowTaskSlots: number; activitySlots: number };
  /** Workflows kept in memory between tasks (config WORKER_MAX_CACHED_WORKFLOWS): bounds the worker's memory. */
  maxCachedWorkflows?: number;
}

/** One worker runs every workflow and activity of the engine (same code in production and tests). */
export async function createWorker({
  connection,
  namespace,
  taskQueue,
  pool,
  bank,
  payloadKeys,
  applications,
  workflowBundlePath,
  approvalThresholds,
  slots = WORKER_SLOT_DEFAULTS,
  maxCachedWorkflows = WORKER_MAX_CACHED_WORKFLOWS_DEFAULT,
}: WorkerDeps): Promise<Worker> {
  const store = createEventStore(pool);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    dataConverter: engineDataConverter(payloadKeys),
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    maxConcurrentWorkflowTaskExecutions: slots.workflowTaskSlots,
    maxConcurrentWorkflowTaskPolls: Math.max(2, Math.floor(slots.workflowTaskSlots / 2)),
    maxConcurrentActivityTaskExecutions: slots.activitySlots,
    // Least recently used workflows beyond this are evicted (replayed from history at their next task).
    maxCachedWorkflows,
    // A workflow's next task goes first to the worker that has it cached; if that worker has died,
    // the task waits this long before any worker may take it (default 10 s). A live worker polls
    // its own queue without pause, so a short wait costs it little and a restart gains much.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    // A worker asked to stop (deploy, SIGTERM) lets running activities finish for 5 s, then
    // cancels them; one that still has not drained after 30 s gives up, so the process can exit
    // (every activity is idempotent and is retried by another worker). Without a bound, a test's
    // teardown once waited out jest's 120 s hook limit on a loaded machine.
    shutdownGraceTime: '5 seconds',
    shutdownForceTime: '30 seconds',
    // Data the database refuses fails its step at once (InvalidData) instead of being retried forever.
    // The same functions serve local activities (a case's steps are recorded that way).
    activities: refusingBadData({
      ...createCaseActivities(store),
      ...createDisbursementActivities(store, bank, payloadKeys),
      ...createReconciliationActivities(store, pool, bank),
      ...createLoanActivities(store, pool, payloadKeys, { approvalThresholds, policyDefaults: applications }),
      ...createHelpActivities(store, pool),
      ...createComparisonActivities(pool),
      ...(applications ? createIntakeActivities(pool, { ...applications, payloadKeys }) : {}),
    }),
  });
}
