// `npm run bench:worker-startup`: how long a worker process takes from spawn to polling, with the
// workflow bundle built at build time (dist/workflow-bundle.js) beside the old way (webpack at
// every start, from dist/workflows), interleaved on one throw-away dev server so that machine
// noise hits both alike. Prints median and max of each, and their ratio.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
ensureNodeModules();
build();
const { startTemporalDevServer, freePort } = await import('./lib/services.mjs');
const temporal = await startTemporalDevServer({ cli: ensureTemporalCli(), port: freePort });

// A worker process as src/worker/main.ts makes it, minus the database: connect, create, poll.
const child = (mode) => `
  const { NativeConnection, Worker, Runtime, DefaultLogger } = require('@temporalio/worker');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  (async () => {
    const connection = await NativeConnection.connect({ address: ${JSON.stringify(temporal.address)} });
    const code = ${mode === 'bundle'} ? { workflowBundle: { codePath: ${JSON.stringify(join(root, 'dist', 'workflow-bundle.js'))} } } : { workflowsPath: ${JSON.stringify(join(root, 'dist', 'workflows', 'index.js'))} };
    const worker = await Worker.create({ connection, taskQueue: 'startup-bench', ...code, activities: {} });
    const running = worker.run();
    process.stdout.write('polling\\n');
    setTimeout(() => worker.shutdown(), 100);
    await running;
    await connection.close();
  })();`;

function once(mode) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const p = spawn(process.execPath, ['-e', child(mode)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let ms;
    p.stdout.on('data', (d) => {
      if (ms === undefined && d.toString().includes('polling')) ms = Number(process.hrtime.bigint() - started) / 1e6;
    });
    p.on('exit', (code) => (code === 0 && ms !== undefined ? resolve(ms) : reject(new Error(`${mode} worker exited ${code}`))));
  });
}

const times = { bundle: [], webpack: [] };
try {
  for (let i = 0; i < RUNS; i++) for (const mode of ['bundle', 'webpack']) times[mode].push(await once(mode));
} finally {
  await temporal.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (mode) =>
  `${mode.padEnd(28)} median ${median(times[mode]).toFixed(0).padStart(6)} ms   max ${Math.max(...times[mode])
    .toFixed(0)
    .padStart(6)} ms`;
process.stdout.write(`\nworker start-up, spawn → polling (${RUNS} runs each, interleaved)\n`);
process.stdout.write(`${row('bundle')}  (built once by npm run build)\n${row('webpack')}  (bundled at every start, as before)\n`);
process.stdout.write(`ratio (webpack / bundle)      median ${(median(times.webpack) / median(times.bundle)).toFixed(1)}×\n`);
