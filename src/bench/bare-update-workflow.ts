/**
 * The bare baseline of the decision benchmark (decision-latency.ts): an Update whose handler runs
 * one ordinary activity that inserts one row, the least a recorded step can cost on Temporal.
 * Bundled by the benchmark's own worker only; not one of the engine's workflows.
 */
import { condition, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities';

export const insertOneUpdate = defineUpdate<void>('insertOne');

const { insertOne } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

export async function bareUpdate(): Promise<void> {
  let inserted = 0;
  setHandler(insertOneUpdate, async () => {
    await insertOne(`${workflowInfo().workflowId}#${++inserted}`);
  });
  await condition(() => false); // lives until the benchmark terminates it
}
