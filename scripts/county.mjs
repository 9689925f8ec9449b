// `npm run county`: the seed county (102 villages, 13,634 households) from bulk intake to
// enrolment through the API, on throw-away servers: builds, starts Postgres, the Temporal dev
// server, the worker and the API as production runs them (publicity periods shortened), runs
// dist/bench/county/county-run.js, and prints the peak memory of each process.
// COUNTY_VILLAGES / COUNTY_HOUSEHOLDS make a smaller county; COUNTY_PUBLICITY the period (PT30S).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';
import { peakMemory } from './lib/peak-memory.mjs';

const log = (msg) => process.stdout.write(`[county] ${msg}\n`);
ensureNodeModules();
const cli = ensureTemporalCli();
build();
const { startEmbeddedPostgres, startTemporalDevServer, freePort } = await import('./lib/services.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'aid-county-'));
chmodSync(scratch, 0o755);
const stops = [];
const children = [];
let status = 1;
try {
  const pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), persistent: false });
  stops.push(pg.stop);
  const temporal = await startTemporalDevServer({ cli, port: freePort, dbFile: join(scratch, 'temporal.db'), logPath: join(scratch, 'temporal.log') });
  stops.push(temporal.stop);
  const port = String(await freePort());
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    PORT: port,
    PUBLICITY_PERIOD: process.env.COUNTY_PUBLICITY ?? 'PT30S',
    ANCHOR_INTERVAL: 'off',
  };
  for (const [name, file] of [
    ['worker', 'dist/worker/main.js'],
    ['api', 'dist/api/main.js'],
  ]) {
    // Their logs go to files, quoted if the run fails: the figures are what this prints.
    const logFile = join(scratch, `${name}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ['ignore', fd, fd] });
    child.once('exit', (code) => code && log(`${name} exited (${code})`));
    children.push({ name, child, logFile });
  }
  const apiUrl = `http://127.0.0.1:${port}`;
  for (
    const until = Date.now() + 120_000;
    !(await fetch(`${apiUrl}/health`).then(
      (r) => r.ok,
      () => false,
    ));
  ) {
    if (Date.now() > until) throw new Error('the API did not become healthy within 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  const memory = peakMemory({
    worker: (args) => args.includes('dist/worker/main.js'),
    api: (args) => args.includes('dist/api/main.js'),
    postgres: (args) => args.includes('postgres') && args.includes(scratch),
    temporal: (args) => args.includes('temporal') && args.includes(scratch),
  });
  const run = spawn(process.execPath, ['dist/bench/county/county-run.js'], { cwd: root, env: { ...env, API_URL: apiUrl }, stdio: 'inherit' });
  status = await new Promise((resolve) => run.once('exit', (code) => resolve(code ?? 1)));
  if (status !== 0)
    for (const { name, logFile } of children) log(`${name} log, last lines:\n${readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
  log('peak resident memory (MB; each process with its children; shared pages counted in each):');
  for (const [name, mb] of Object.entries(memory.stop())) log(`  ${name.padEnd(9)} ${mb.toFixed(0)}`);
} catch (e) {
  log(`failed: ${e.stack ?? e}`);
} finally {
  for (const { child } of children) child.kill('SIGTERM');
  await Promise.all(children.map(({ child }) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
