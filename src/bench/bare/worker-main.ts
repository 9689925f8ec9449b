/**
 * The bare baseline's worker process, started beside the engine's worker (scripts/bench.mjs) and
 * configured like it where that decides speed: the same server, data converter and slots.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config/config';
import { createPool } from '../../store/db';
import { engineDataConverter } from '../../temporal/data-converter';
import { BARE_TABLE_SQL, createBareActivities } from './activities';
import { BARE_TASK_QUEUE } from './queue';

async function main(): Promise<void> {
  const config = loadConfig();
  const bundle = process.env.BARE_WORKFLOW_BUNDLE;
  if (!bundle) throw new Error('BARE_WORKFLOW_BUNDLE is not set');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pool = createPool(config.databaseUrl, config.worker.activitySlots);
  await pool.query(BARE_TABLE_SQL);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const slots = config.worker;
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: BARE_TASK_QUEUE,
    dataConverter: engineDataConverter(config.payloadKeys),
    workflowBundle: { codePath: bundle },
    maxConcurrentWorkflowTaskExecutions: slots.workflowTaskSlots,
    maxConcurrentWorkflowTaskPolls: Math.max(2, Math.floor(slots.workflowTaskSlots / 2)),
    maxConcurrentActivityTaskExecutions: slots.activitySlots,
    stickyQueueScheduleToStartTimeout: '3 seconds',
    shutdownGraceTime: '5 seconds',
    shutdownForceTime: '30 seconds',
    activities: createBareActivities(pool),
  });
  const running = worker.run();
  process.stdout.write(`bare worker: polling task queue ${BARE_TASK_QUEUE}\n`);
  await running;
  await connection.close();
  await pool.end();
}

main().catch((e: Error) => {
  process.stderr.write(`bare worker: ${e.message}\n`);
  process.exit(1);
});
