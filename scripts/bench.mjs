// `npm run bench`: builds, starts a throw-away Postgres and Temporal dev server, the engine's
// worker and API as production runs them (child processes from dist/), and a bare Temporal
// worker beside them (src/bench/bare); then dist/bench/run-bench.js measures the engine against
// the bare baselines on the same servers and exits non-zero when a ratio misses its goal.
// Env: BENCH_QUICK=1 (a smoke run of the harness, small counts), BENCH_CASES, BENCH_LOANS,
// BENCH_OPEN_CASES (see src/bench/settings.ts), BENCH_POSTGRES=throwaway (fsync off; durable by default).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';

const log = (msg) => process.stdout.write(`[bench] ${msg}\n`);
ensureNodeModules();
build();
const bareBundle = join(root, 'dist', 'bench', 'bare-workflow-bundle.js');
if (spawnSync(process.execPath, ['dist/bench/bare/bundle-cli.js', bareBundle], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const { startEmbeddedPostgres, startTemporalDevServer, startDownloadedTemporal, freePort } = await import('./lib/services.mjs');

const scratch = mkdtempSync(join(tmpdir(), 'aid-bench-'));
chmodSync(scratch, 0o755);
const stops = [];
const children = [];
let status = 1;

/** A server process with its output in scratch/<name>.log; resolves once `ready` is printed. */
function startChild(name, file, env, ready) {
  const logPath = join(scratch, `${name}.log`);
  const fd = openSync(logPath, 'a');
  const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ['ignore', fd, fd] });
  children.push({ name, child, logPath });
  return new Promise((resolve, reject) => {
    const until = Date.now() + 120_000;
    const poll = setInterval(() => {
      const text = readFileSync(logPath, 'utf8');
      if (text.includes(ready)) {
        clearInterval(poll);
        resolve(child);
      } else if (child.exitCode !== null || Date.now() > until) {
        clearInterval(poll);
        reject(new Error(`${name} did not start:\n${text.slice(-3000)}`));
      }
    }, 200);
  });
}

try {
  // Durable like a county's server unless BENCH_POSTGRES=throwaway; the run prints which.
  const durable = process.env.BENCH_POSTGRES !== 'throwaway';
  log(`starting Postgres (${durable ? 'durable' : 'throw-away: fsync off'}) and the Temporal dev server…`);
  const pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), persistent: false, durable });
  stops.push(pg.stop);
  const cli = ensureTemporalCli();
  const temporal = cli
    ? await startTemporalDevServer({ cli, port: freePort, logPath: join(scratch, 'temporal.log') })
    : await startDownloadedTemporal({ port: await freePort() });
  stops.push(temporal.stop);

  const apiPort = String(await freePort());
  const usersFile = join(scratch, 'users.json');
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    PORT: apiPort,
    ANCHOR_INTERVAL: 'off',
    ANCHOR_FILE: join(scratch, 'anchors.jsonl'),
    BANK_URL: 'http://127.0.0.1:9', // no disbursement is benchmarked: nothing calls the bank
    LOG_LEVEL: 'warn',
  };
  if (spawnSync(process.execPath, ['dist/demo/seed-cli.js', 'directory', usersFile], { cwd: root, env, stdio: 'inherit' }).status !== 0)
    throw new Error('seeding the directory failed');

  log('starting the engine worker and API, and the bare worker…');
  const [worker, , bare] = await Promise.all([
    startChild('worker', 'dist/worker/main.js', env, 'worker: polling'),
    startChild('api', 'dist/api/main.js', env, 'api: listening'),
    startChild('bare-worker', 'dist/bench/bare/worker-main.js', { ...env, BARE_WORKFLOW_BUNDLE: bareBundle }, 'bare worker: polling'),
  ]);
  const bench = spawnSync(process.execPath, ['dist/bench/run-bench.js'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...env,
      BENCH_API_URL: `http://127.0.0.1:${apiPort}`,
      BENCH_USERS_FILE: usersFile,
      BENCH_ENGINE_WORKER_PID: String(worker.pid),
      BENCH_BARE_WORKER_PID: String(bare.pid),
    },
  });
  status = bench.status ?? 1;
  for (const { name, child, logPath } of children) {
    if (child.exitCode !== null) log(`${name} exited early (${child.exitCode}):\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
  }
} catch (e) {
  log(`failed: ${e.message}`);
} finally {
  // A worker drains for up to 30 s (shutdownForceTime); do not wait longer than that.
  const killer = setTimeout(() => children.forEach(({ child }) => child.exitCode === null && child.kill('SIGKILL')), 40_000);
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map(({ child }) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
  clearTimeout(killer);
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}
log(`exit code ${status}`);
process.exit(status);
