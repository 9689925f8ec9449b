// `npm start`: installs what is missing, starts Postgres (embedded unless DATABASE_URL is set)
// and the Temporal dev server (persistent, unless TEMPORAL_ADDRESS is set), the worker and the
// API, seeds demo data, and prints where to go. Ctrl-C stops everything; state survives.
import { spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';

const log = (msg) => process.stdout.write(`[start] ${msg}\n`);
const env = process.env;
const dataDir = join(root, '.data');
mkdirSync(dataDir, { recursive: true });

/**
 * The event store's checkpoints are signed with an Ed25519 key the database never holds
 * (src/store/anchor). Without ANCHOR_KEY_FILE, a development key is made once in .data/
 * (owner-only), with its public half beside it for `npm run verify-chain`.
 */
function devAnchorKey() {
  const keyFile = join(dataDir, 'anchor-key.pem');
  const publicFile = join(dataDir, 'anchor-public.pem');
  if (!existsSync(keyFile)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    log('made a development anchor key: .data/anchor-key.pem (set ANCHOR_KEY_FILE to your own in production)');
  }
  if (!existsSync(publicFile)) writeFileSync(publicFile, createPublicKey(createPrivateKey(readFileSync(keyFile))).export({ format: 'pem', type: 'spki' }));
  return keyFile;
}

ensureNodeModules();
build();
const { startEmbeddedPostgres, startTemporalDevServer, startDownloadedTemporal } = await import('./lib/services.mjs');

const stops = [];
const children = [];
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  for (const stop of stops.reverse()) await stop().catch((e) => log(`stop failed: ${e.message}`));
  log('stopped; data kept in .data/');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  // Postgres
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(env.PG_PORT ?? 54329);
    log(`starting embedded Postgres on 127.0.0.1:${port} (data in .data/pg)…`);
    const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port, persistent: true });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }

  // Temporal
  let temporalAddress = env.TEMPORAL_ADDRESS;
  let uiUrl = env.TEMPORAL_UI_URL;
  if (!temporalAddress) {
    const port = Number(env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
    const dbFile = join(dataDir, 'temporal.db');
    const cli = ensureTemporalCli();
    log(`starting the Temporal dev server on 127.0.0.1:${port} (state in .data/temporal.db)…`);
    // The UI decodes the engine's encrypted payloads through the API's codec endpoint.
    const uiCodecEndpoint = `http://127.0.0.1:${env.PORT ?? '3000'}/codec`;
    const t = cli
      ? await startTemporalDevServer({ cli, port, uiPort, dbFile, logPath: join(dataDir, 'temporal.log'), uiCodecEndpoint })
      : await startDownloadedTemporal({ port, uiPort, dbFile, uiCodecEndpoint });
    stops.push(t.stop);
    temporalAddress = t.address;
    uiUrl = t.uiUrl;
  }

  const port = env.PORT ?? '3000';
  const bankPort = env.BANK_PORT ?? '3100';
  const bankUrl = env.BANK_URL ?? `http://127.0.0.1:${bankPort}`;
  // Only the worker (which writes the checkpoints) is given the anchor's private key.
  const { ANCHOR_KEY_FILE: givenAnchorKey, ...baseEnv } = env;
  const anchorKeyFile = givenAnchorKey ?? devAnchorKey();
  const anchorFile = env.ANCHOR_FILE ?? join(dataDir, 'anchors.jsonl');
  const childEnv = {
    ...baseEnv,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    PORT: port,
    BANK_URL: bankUrl,
    BANK_PORT: bankPort,
    BANK_DATA_DIR: env.BANK_DATA_DIR ?? join(dataDir, 'bank'),
    ANCHOR_FILE: anchorFile,
    // The worker's Temporal SDK metrics, appended to the API's GET /metrics.
    WORKER_METRICS_PORT: env.WORKER_METRICS_PORT ?? '9464',
    WORKER_METRICS_URL: env.WORKER_METRICS_URL ?? `http://127.0.0.1:${env.WORKER_METRICS_PORT ?? '9464'}/metrics`,
  };
  // The local Temporal UI may call the API's codec endpoints from the browser.
  if (uiUrl && !env.CODEC_CORS_ORIGINS) childEnv.CODEC_CORS_ORIGINS = `${uiUrl},${uiUrl.replace('127.0.0.1', 'localhost')}`;
  const usersFile = join(root, 'demo', 'users.json');
  const node = (args) => spawnSync(process.execPath, args, { cwd: root, env: childEnv, stdio: 'inherit' });
  if (node(['dist/demo/seed-cli.js', 'directory', usersFile]).status !== 0) throw new Error('seeding the directory failed');

  const processes = [
    ['worker', 'dist/worker/main.js'],
    ['api', 'dist/api/main.js'],
  ];
  // The simulated bank stands in for the real one unless BANK_URL points elsewhere.
  if (!env.BANK_URL) processes.unshift(['bank', 'dist/bank/main.js']);
  for (const [name, file] of processes) {
    const ownEnv = name === 'worker' ? { ...childEnv, ANCHOR_KEY_FILE: anchorKeyFile } : childEnv;
    const child = spawn(process.execPath, [file], { cwd: root, env: ownEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => {
      if (!stopping) {
        log(`${name} exited (${code}); stopping everything`);
        void shutdown(1);
      }
    });
    children.push(child);
  }

  const apiUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${apiUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) throw new Error('the API did not become healthy within 60s');
    await new Promise((r) => setTimeout(r, 300));
  }
  if (node(['dist/demo/seed-cli.js', 'cases', usersFile, apiUrl]).status !== 0) log('seeding demo cases failed (the service still runs)');

  process.stdout.write(`
  Aid disbursement engine is running.
    Console      ${apiUrl}/   (web console in Chinese, English switch: log in as below)
    API          ${apiUrl}
    API docs     ${apiUrl}/docs   (OpenAPI: ${apiUrl}/openapi.json)
    Metrics      ${apiUrl}/metrics   (Prometheus text; a bearer token of an operator or supervisor)
    Temporal UI  ${uiUrl ?? '(external Temporal: see your own UI)'}   (payloads are encrypted: README, "Reading encrypted Temporal histories")
    Bank         ${bankUrl}${env.BANK_URL ? '' : '  (simulated; journal in .data/bank)'}
    Demo tokens  demo/users.json  (paste one into "Authorize" in the docs)
    Demo log-in  POST /auth/login  username = a user id from demo/users.json, password ${env.DEMO_PASSWORD ? '$DEMO_PASSWORD' : 'demo-password-2026'}
    Anchors      ${anchorFile}  (signed checkpoints of the event store, written by the worker${givenAnchorKey ? '' : '; key .data/anchor-key.pem'})
  Ctrl-C stops everything; the next \`npm start\` finds the cases where they were.
`);
} catch (e) {
  log(`failed: ${e.message}`);
  await shutdown(1);
}
