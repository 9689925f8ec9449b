/**
 * The bare baseline: the least a Temporal workflow can do for what one step of a case does. An
 * Update `act` whose handler runs one ordinary activity inserting one row; the run stays open
 * (as a case does between decisions) until the `close` signal. The engine's figures are read
 * against this one's, measured on the same servers in the same run.
 */
import { allHandlersFinished, condition, defineSignal, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { BareActivities } from './activities';

const { insertRow } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

/** One step: inserts one row, answers how many steps the run has taken. */
export const actUpdate = defineUpdate<number, [number]>('act');
export const closeSignal = defineSignal('close');

export async function bareCase(): Promise<void> {
  let acts = 0;
  let closed = false;
  setHandler(actUpdate, async (n) => {
    await insertRow(workflowInfo().workflowId, n);
    return ++acts;
  });
  setHandler(closeSignal, () => {
    closed = true;
  });
  await condition(() => closed && allHandlersFinished());
}
