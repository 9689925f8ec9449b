// A worker process of its own, for test/api/worker-metrics.api.test.ts: Temporal's Runtime can be
// installed once per process, and jest's already has one (quiet-runtime.ts). Installs it with the
// telemetry options given as JSON in TELEMETRY, polls TASK_QUEUE (activities only: no workflow
// bundle to build) on TEMPORAL_ADDRESS, and drains on SIGTERM.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

const { TELEMETRY, TEMPORAL_ADDRESS, TASK_QUEUE } = process.env;
Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: JSON.parse(TELEMETRY) });
const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
const worker = await Worker.create({ connection, taskQueue: TASK_QUEUE, activities: { noop: async () => undefined } });
process.stdout.write('metrics-worker: polling\n');
await worker.run();
await connection.close();
