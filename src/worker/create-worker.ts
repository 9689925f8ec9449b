import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createCaseActivities } from '../activities/case-activities';
import { EventStore } from '../store/event-store';
import { caseProjector } from '../store/projections/cases';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
}

/** The store every activity writes through, with every projection wired in. */
export function createEventStore(pool: Pool): EventStore {
  return new EventStore(pool, { projectors: [caseProjector] });
}

/** One worker runs every workflow and activity of the engine (same code in production and tests). */
export async function createWorker({ connection, namespace, taskQueue, pool }: WorkerDeps): Promise<Worker> {
  const store = createEventStore(pool);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: { ...createCaseActivities(store) },
  });
}
