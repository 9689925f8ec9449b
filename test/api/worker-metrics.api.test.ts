import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { scrapeWorker } from '../../src/api/metrics/worker-scrape';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { workerRuntimeOptions } from '../../src/worker/runtime-options';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { requireEnv } from '../support/env';
import { samples, valueOf } from '../support/prometheus-text';
import { uniqueQueue } from '../support/temporal';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The worker side for real: a process (test/support/metrics-worker.mjs) installs Temporal's Runtime
 * with the telemetry options the worker's main.ts installs (workerRuntimeOptions, from
 * WORKER_METRICS_PORT) and polls the dev server; the API (WORKER_METRICS_URL) appends what it serves.
 */
describe("the worker's Temporal SDK metrics, through the API's /metrics (real Temporal dev server)", () => {
  let api: ApiHarness;
  let worker: ChildProcess | undefined;
  let url: string;
  const output: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    const env = { WORKER_METRICS_PORT: String(port), WORKER_METRICS_URL: url };
    const options = workerRuntimeOptions(loadConfig({ ...process.env, ...env }), createLogger({ process: 'worker', level: 'silent' }));
    worker = spawn(process.execPath, [join(__dirname, '..', 'support', 'metrics-worker.mjs')], {
      env: {
        ...process.env,
        TELEMETRY: JSON.stringify(options.telemetryOptions),
        TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
        TASK_QUEUE: uniqueQueue('metrics'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    worker.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    api = await apiHarness(env);
  });
  afterAll(async () => {
    await stopWorker();
    await api?.close();
  });

  async function stopWorker(): Promise<void> {
    const w = worker;
    worker = undefined;
    if (!w || w.exitCode !== null) return;
    const exited = new Promise((resolve) => w.once('exit', resolve));
    w.kill('SIGTERM');
    const force = setTimeout(() => w.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(force);
  }

  it('the worker serves temporal_* metrics, and GET /metrics appends them with aid_worker_metrics_up 1', async () => {
    let workerText: string | undefined;
    await waitFor(async () => {
      if (worker?.exitCode !== null) throw new Error(`the metrics worker exited: ${output.join('')}`);
      workerText = await scrapeWorker(url);
      return !!workerText && /^temporal_\w+/m.test(workerText);
    }, 90_000);
    const workerFamilies = new Set(samples(workerText as string).map((s) => s.name));
    expect([...workerFamilies].some((n) => n.startsWith('temporal_'))).toBe(true);

    const r = await api.call('GET', '/metrics', { as: 'operator' });
    expect(r.status).toBe(200);
    const text = r.body as string;
    expect(valueOf(text, 'aid_worker_metrics_up')).toBe(1);
    const merged = new Set(samples(text).map((s) => s.name));
    expect([...merged].filter((n) => n.startsWith('temporal_')).length).toBeGreaterThan(0);
    // Each family declared once, the API's and the worker's together.
    const typed = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(typed).size).toBe(typed.length);
    expect(new Set(typed.map((l) => l.split(' ')[2])).size).toBe(typed.length);
  });

  it('with the worker gone, the scrape still succeeds and aid_worker_metrics_up says 0', async () => {
    await stopWorker();
    const r = await api.call('GET', '/metrics', { as: 'operator' });
    expect(r.status).toBe(200);
    expect(valueOf(r.body as string, 'aid_worker_metrics_up')).toBe(0);
    expect(samples(r.body as string).some((s) => s.name.startsWith('temporal_'))).toBe(false);
    expect(valueOf(r.body as string, 'aid_cases')).toBeUndefined(); // no case in this database: no series
  });
});
