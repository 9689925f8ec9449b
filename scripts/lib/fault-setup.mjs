// The system under test, each part a process of its own: embedded Postgres, the Temporal dev
// server, the simulated bank, the API and the worker; and the demo directory (users, tokens).
// Postgres, Temporal, the bank and the API can be restarted in place (same port, same data):
// the scenarios of scripts/lib/fault-scenarios.mjs do that through `sys`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './install.mjs';
import { waitUntil } from './fault-host.mjs';
import { log, sleep } from './fault-settings.mjs';

export async function startSystem({ S, host, http, cli, services, pg }) {
  const { startEmbeddedPostgres, startTemporalDevServer, startDownloadedTemporal, freePort } = services;
  const { scratch } = host;
  const sys = {};

  const pgPort = await freePort();
  sys.startPg = () => startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: pgPort, persistent: true });
  sys.pgServer = await sys.startPg();
  host.stops.push(() => sys.pgServer.stop());
  const temporalPort = await freePort();
  const temporalDb = S.scenario === 'temporal' ? join(scratch, 'temporal.db') : undefined;
  sys.startTemporal = () =>
    cli
      ? startTemporalDevServer({ cli, port: temporalPort, dbFile: temporalDb, logPath: join(scratch, 'temporal.log') })
      : startDownloadedTemporal({ port: temporalPort, dbFile: temporalDb });
  sys.temporal = await sys.startTemporal();
  host.stops.push(() => sys.temporal.stop());
  sys.temporalAddress = sys.temporal.address;
  log(`Postgres on 127.0.0.1:${pgPort}, Temporal dev server (${temporalDb ? 'on a database file' : 'in memory'}) on ${sys.temporalAddress}`);
  for (let i = 0; i < S.cpuHogs; i++) host.startCpuHog();
  if (S.cpuHogs) log(`${S.cpuHogs} CPU hog process(es) running beside the system`);

  const bankPort = await freePort();
  const apiPort = await freePort();
  sys.bankUrl = `http://127.0.0.1:${bankPort}`;
  sys.apiUrl = `http://127.0.0.1:${apiPort}`;
  sys.bankEnv = {
    ...process.env,
    BANK_PORT: String(bankPort),
    BANK_DATA_DIR: join(scratch, 'bank'),
    BANK_SEED: String(S.seed),
    BANK_TRANSIENT_FAILURE_RATE: process.env.BANK_TRANSIENT_FAILURE_RATE ?? '0.05',
    BANK_TIMEOUT_RATE: process.env.BANK_TIMEOUT_RATE ?? '0.03',
    BANK_TIMEOUT_DELAY_MS: process.env.BANK_TIMEOUT_DELAY_MS ?? '12000',
    BANK_SETTLE_DELAY_MS: process.env.BANK_SETTLE_DELAY_MS ?? '300',
    BANK_LATENCY_MS: process.env.BANK_LATENCY_MS ?? '5,30',
  };
  sys.startBank = async () => {
    const b = host.startChild('bank', 'dist/bank/main.js', sys.bankEnv, { onUnexpectedExit: host.fatal('bank') });
    await waitUntil(
      'the bank did not answer',
      () =>
        fetch(`${sys.bankUrl}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
    );
    return b;
  };
  sys.bankProcess = await sys.startBank();

  const databaseUrl = sys.pgServer.url;
  host.childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: sys.temporalAddress,
    BANK_URL: sys.bankUrl,
    TASK_QUEUE: `fault-${S.seed}`,
    PORT: String(apiPort),
    PUBLICITY_PERIOD: 'PT1S',
  };
  const usersFile = join(scratch, 'users.json');
  const seeded = spawnSync(process.execPath, ['dist/demo/seed-cli.js', 'directory', usersFile], { cwd: root, env: host.childEnv, stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding the directory failed');
  Object.assign(http.targets, {
    apiUrl: sys.apiUrl,
    bankUrl: sys.bankUrl,
    tokens: Object.fromEntries(JSON.parse(readFileSync(usersFile, 'utf8')).map((u) => [u.userId, u.token])),
  });
  sys.db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  sys.db.on('error', () => undefined); // an idle connection cut by a Postgres restart is dropped, not fatal

  sys.startApi = async () => {
    const a = host.startChild('api', 'dist/api/main.js', host.childEnv, { onUnexpectedExit: host.fatal('api') });
    await waitUntil(
      'the API did not become healthy',
      () =>
        fetch(`${sys.apiUrl}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      90_000,
    );
    return a;
  };
  host.worker = host.startWorker();
  sys.apiProcess = await sys.startApi();
  await Promise.race([host.worker.ready, sleep(90_000)]);
  log(`bank ${sys.bankUrl}, API ${sys.apiUrl}, worker up (start-up ${host.chaosFigures.startupMs[0] ?? '?'} ms)`);
  return sys;
}
