/** The worker process: runs workflows and activities until SIGINT/SIGTERM, then drains. */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { createLogger, type Logger } from '../logging/logger';
import { createPool } from '../store/db';
import { migrate } from '../store/migrate';
import { HttpPaymentGateway } from '../activities/bank/http-payment-gateway';
import { startAnchorJob } from './anchor-job';
import { startContactWatcherSweep } from './contact-watcher-sweep';
import { createWorker } from './create-worker';
import { ensureSchedules } from './schedules';
import { requireBuiltBundle } from './workflow-bundle';
import { workerRuntimeOptions } from './runtime-options';

let log: Logger = createLogger({ process: 'worker', level: 'info' }); // until the configuration is read

async function main(): Promise<void> {
  const config = loadConfig();
  log = createLogger({ process: 'worker', level: config.logLevel });
  // JSON logs for the SDK too; its Prometheus exporter when WORKER_METRICS_PORT is set.
  Runtime.install(workerRuntimeOptions(config, log));
  if (config.workerMetricsPort !== undefined) log.info(`worker: Temporal SDK metrics on http://${config.host}:${config.workerMetricsPort}/metrics`);
  // A connection for each activity slot, and one for each workflow task's local activity (a case's step).
  const pool = createPool(config.databaseUrl, config.worker.activitySlots + config.worker.workflowTaskSlots);
  if (config.migrateOnStart) await migrate(pool);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    pool,
    bank: new HttpPaymentGateway({ baseUrl: config.bankUrl }),
    payloadKeys: config.payloadKeys,
    applications: config,
    approvalThresholds: config.approvalThresholds,
    workflowBundlePath: requireBuiltBundle(),
    slots: config.worker,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  });
  const running = worker.run(); // Worker installs SIGINT/SIGTERM handlers that shut it down gracefully
  // Said once the worker polls, not before: the fault test times a worker's life from this line.
  // Said whatever LOG_LEVEL: scripts (bench, fault) wait for "worker: polling" in the output.
  log.child({}, { level: 'info' }).info(`worker: polling task queue ${config.taskQueue} on ${config.temporalAddress}`);
  await ensureSchedules(
    { address: config.temporalAddress, namespace: config.temporalNamespace, taskQueue: config.taskQueue, payloadKeys: config.payloadKeys },
    (line) => log.info(`worker: ${line}`),
  );
  // Pairings whose contact watcher the API could not start (issue #13): started here, every 5 minutes.
  const sweep = startContactWatcherSweep(
    pool,
    {
      address: config.temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      payloadKeys: config.payloadKeys,
      window: config.contactWindow,
      intervalMs: 5 * 60_000,
    },
    (line, level = 'info') => log[level](`worker: ${line}`),
  );
  // Checkpoints of the event store outside the database, if this process was given the signing key.
  const { privateKey, intervalMs, file } = config.anchor;
  const anchoring =
    privateKey && intervalMs ? startAnchorJob(pool, { file, privateKey, intervalMs }, (line, level = 'info') => log[level](`worker: ${line}`)) : undefined;
  await running;
  await sweep.stop();
  await anchoring?.stop();
  await connection.close();
  await pool.end();
}

main().catch((e: Error) => {
  log.fatal(`worker: ${e.message}`);
  process.exit(1);
});
