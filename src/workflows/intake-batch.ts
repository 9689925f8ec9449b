/**
 * Bulk intake: the valid rows of one uploaded file become cases, a few at a time, each through
 * the same path as a single application. The rows wait in Postgres (intake_rows, which the API
 * reads for progress); this workflow holds only the batch id and line numbers, never a row's
 * personal data. Durable by nature: a worker or API restart only pauses it, an outage is
 * retried by the activities' retry policy, and every row's case id comes from the batch id and
 * the line, so no row can start two cases.
 */
import { ActivityFailure, ApplicationFailure, continueAsNew, defineQuery, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { IntakeActivities } from '../activities/intake-activities';

export interface IntakeBatchInput {
  batchId: string;
  /** Rows in the file, those refused at upload included. */
  total: number;
}

export interface IntakeProgress {
  batchId: string;
  total: number;
  /** Rows accepted or rejected so far (the upload's refusals included). */
  processed: number;
  done: boolean;
}

export const intakeProgressQuery = defineQuery<IntakeProgress>('intakeProgress');
export const intakeBatchWorkflowId = (batchId: string) => `intake-${batchId}`;

/** Cases started at once for one batch: each start waits on the case's first step, and a big file must not crowd out the other work. */
const ROWS_AT_ONCE = 4;
/** Rows per run: a 5,000-row file continues as new every so often, so that no history grows large. */
const ROWS_PER_RUN = 500;

const { pendingIntakeLines, refuseIntakeRow, finishIntakeBatch } = proxyActivities<IntakeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { settleIntakeRow } = proxyActivities<IntakeActivities>({
  // Starting a case waits until its first step is recorded, which may queue behind other work.
  startToCloseTimeout: '2 minutes',
  // An outage (Postgres, Temporal) is waited out with backoff, as long as it lasts; data the
  // database refuses (InvalidData, see activities/data-errors.ts) is not retried.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function intakeBatch(input: IntakeBatchInput): Promise<IntakeProgress> {
  const progress: IntakeProgress = { batchId: input.batchId, total: input.total, processed: 0, done: false };
  setHandler(intakeProgressQuery, () => progress);

  const { lines, pending } = await pendingIntakeLines({ batchId: input.batchId, limit: ROWS_PER_RUN });
  progress.processed = input.total - pending;
  await inTurn(lines, ROWS_AT_ONCE, async (line) => {
    await settle(input.batchId, line);
    progress.processed++;
  });
  if (lines.length === ROWS_PER_RUN) await continueAsNew<typeof intakeBatch>(input);
  // Every row taken is settled, and rows are never added, so none should be pending now.
  progress.done = await finishIntakeBatch({ batchId: input.batchId });
  if (!progress.done) {
    await sleep('1 minute'); // not a tight loop, should that ever be wrong
    await continueAsNew<typeof intakeBatch>(input);
  }
  return progress;
}

async function settle(batchId: string, line: number): Promise<void> {
  try {
    await settleIntakeRow({ batchId, line });
  } catch (e) {
    // Only a non-retryable failure ends up here: the row's data cannot be stored. The row is
    // refused and the others go on, as a single application would be answered 400.
    if (!(e instanceof ActivityFailure && e.cause instanceof ApplicationFailure)) throw e;
    await refuseIntakeRow({ batchId, line, message: 'a value in this row cannot be stored (e.g. a control character)' });
  }
}

/** Runs `work` over `items`, at most `size` at a time, in order of the items. */
async function inTurn<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(size, queue.length) }, worker));
}
