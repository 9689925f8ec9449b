// `npm run fault`: the fault test of issue #4. Runs several hundred disbursements through the
// real processes (API, worker, simulated bank as separate processes, embedded Postgres, the
// Temporal dev server in memory) while a chaos loop kills the worker with SIGKILL at random
// moments and restarts it, then checks: every disbursement ended paid, failed or refused;
// no duplicate payment at the bank; the books balance and match the bank's statement; the
// hash chains verify. Prints its figures and exits non-zero when any check fails.
//
// Settings (environment): FAULT_COUNT (300), FAULT_CONCURRENCY (10), FAULT_SEED (random),
// FAULT_HOUSEHOLDS (8), FAULT_CLOSED_HOUSEHOLDS (2, accounts ending 0000: the bank fails them),
// FAULT_CLOSED_SHARE (0.08 of payouts go to those), FAULT_FUNDED_SHARE (0.85: share of what the
// payouts to open accounts total that is deposited, so some are refused), FAULT_KILL_MS
// (2000,6000: worker lifetime after it polls), FAULT_PAUSE_MS (200,2000: down time before the
// restart), FAULT_EARLY_KILL_SHARE (0.1: kills during start-up),
// FAULT_WAIT_MS (300000: to reach the end after chaos), FAULT_KEEP=1 keeps the logs,
// FAULT_CPU_HOG (0: that many busy-looping processes run beside everything, as on a shared server),
// FAULT_SCENARIO (worker: which part fails; see scripts/lib/fault-scenarios.mjs), FAULT_APPLICATIONS
// (30: applications, each with its village evaluation, sent in a burst beside the payouts),
// FAULT_BANK_DOWN_MS (60000: how long the bank stays down in the bank scenario),
// FAULT_SELF_TEST=1 plants a bank statement line we never paid, so the checks must fail.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';
import { SCENARIOS, faultLoop } from './lib/fault-scenarios.mjs';

const log = (msg) => process.stdout.write(`[fault] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ── settings ────────────────────────────────────────────────────────────────────────────
function intEnv(name, dflt, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
}
function shareEnv(name, dflt) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!(n >= 0 && n <= 1)) throw new Error(`${name} must be between 0 and 1`);
  return n;
}
function rangeEnv(name, dflt) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const m = /^(\d+),(\d+)$/.exec(raw);
  if (!m || Number(m[1]) > Number(m[2])) throw new Error(`${name} must be min,max in ms`);
  return [Number(m[1]), Number(m[2])];
}
const S = {
  count: intEnv('FAULT_COUNT', 300, 1),
  concurrency: intEnv('FAULT_CONCURRENCY', 10, 1),
  seed: intEnv('FAULT_SEED', Math.floor(Math.random() * 2 ** 31)),
  households: intEnv('FAULT_HOUSEHOLDS', 8, 1),
  closedHouseholds: intEnv('FAULT_CLOSED_HOUSEHOLDS', 2, 0),
  closedShare: shareEnv('FAULT_CLOSED_SHARE', 0.08),
  fundedShare: shareEnv('FAULT_FUNDED_SHARE', 0.85),
  killMs: rangeEnv('FAULT_KILL_MS', [2000, 6000]),
  pauseMs: rangeEnv('FAULT_PAUSE_MS', [200, 2000]),
  earlyKillShare: shareEnv('FAULT_EARLY_KILL_SHARE', 0.1),
  waitMs: intEnv('FAULT_WAIT_MS', 300_000, 1000),
  cpuHogs: intEnv('FAULT_CPU_HOG', 0),
  scenario: process.env.FAULT_SCENARIO || 'worker',
  applications: intEnv('FAULT_APPLICATIONS', 30),
  bankDownMs: intEnv('FAULT_BANK_DOWN_MS', 60_000, 1000),
  /** Plants a statement line for a payment we never made: the run must then fail (checks the checks). */
  selfTest: process.env.FAULT_SELF_TEST === '1',
  keep: process.env.FAULT_KEEP === '1',
};
if (S.closedHouseholds === 0) S.closedShare = 0;
if (!SCENARIOS.includes(S.scenario)) throw new Error(`FAULT_SCENARIO must be one of ${SCENARIOS.join(', ')}`);

const between = (rnd, [min, max]) => min + Math.floor(rnd() * (max - min + 1));

// ── processes and clean-up ──────────────────────────────────────────────────────────────
const started = Date.now();
ensureNodeModules();
build();
const cli = ensureTemporalCli();
const { startEmbeddedPostgres, startTemporalDevServer, startDownloadedTemporal, freePort } = await import('./lib/services.mjs');
const require = createRequire(join(root, 'package.json'));
const pg = require('pg');
// The bank's own PRNG (seeded): the plan (payees, amounts, chaos timing draws) repeats with FAULT_SEED.
const { mulberry32 } = require('./dist/bank/prng.js');
const planRandom = mulberry32(S.seed);
const chaosRandom = mulberry32(S.seed ^ 0x5bd1e995);

const scratch = mkdtempSync(join(tmpdir(), 'aid-fault-'));
chmodSync(scratch, 0o755);
const stops = []; // async stops of the servers, in start order
const children = new Set(); // live child processes
let stopping = false;
let keepScratch = S.keep;

function killAllNow() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
}
// Last resort (crash, process.exit from a hook): no child may outlive us.
process.on('exit', () => {
  killAllNow();
  if (!keepScratch) {
    try { rmSync(scratch, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});

async function shutdown() {
  if (stopping) return;
  stopping = true;
  chaos.stop();
  void faults?.stop();
  const exits = [...children].map((c) => new Promise((r) => { if (c.exitCode !== null || c.signalCode !== null) r(); else c.once('exit', r); }));
  for (const c of children) c.kill('SIGTERM');
  const forced = setTimeout(killAllNow, 10_000);
  await Promise.all(exits);
  clearTimeout(forced);
  for (const stop of stops.reverse()) await stop().catch((e) => log(`stop failed: ${e.message}`));
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping everything…`);
    void shutdown().finally(() => process.exit(130));
  });
}

/**
 * A node child process with its output in a log file; `ready` resolves on the first output
 * line matching `readyLine`. `onUnexpectedExit` runs when it exits without our asking.
 */
function startChild(name, file, env, { readyLine, logFile, onUnexpectedExit } = {}) {
  const out = createWriteStream(logFile ?? join(scratch, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let markReady;
  const ready = new Promise((r) => { markReady = r; });
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    out.write(chunk);
    if (!readyLine) return;
    buffered += chunk.toString('utf8');
    if (!handle.isReady && readyLine.test(buffered)) { handle.isReady = true; markReady(Date.now()); buffered = ''; }
    else if (buffered.length > 10_000) buffered = buffered.slice(-1000);
  });
  child.stderr.on('data', (chunk) => out.write(chunk));
  const handle = { name, child, ready, isReady: false, expectedExit: false, exited: new Promise((r) => child.once('exit', (code, signal) => r({ code, signal }))) };
  child.once('exit', (code, signal) => {
    children.delete(child);
    out.end();
    if (!handle.expectedExit && !stopping) onUnexpectedExit?.({ code, signal });
  });
  return handle;
}

async function waitUntil(what, check, timeoutMs, everyMs = 300) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`${what} within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(everyMs);
  }
}

// ── HTTP ────────────────────────────────────────────────────────────────────────────────
const figures = { apiRetries: 0, bankRetries: 0 };
let apiUrl;
let bankUrl;
let tokens;

/**
 * Calls the API as a demo user, with an Idempotency-Key on every POST, so a retry (after a
 * 5xx, a dropped connection, a timeout or a 409 "still in progress") is the same request.
 */
async function api(method, path, { as, body, key, timeoutMs = 300_000 } = {}) {
  const until = Date.now() + timeoutMs;
  let wait = 250;
  let last = '';
  for (;;) {
    try {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[as]}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      if (res.status < 300) return text ? JSON.parse(text) : undefined;
      last = `${res.status} ${text.slice(0, 300)}`;
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429 || (res.status === 409 && text.includes('idempotency-in-progress'));
      if (!retryable) throw Object.assign(new Error(`${method} ${path} answered ${last}`), { final: true });
    } catch (e) {
      if (e.final) throw e;
      last = e.message; // no answer: refused, reset, or our own timeout
    }
    if (Date.now() > until) throw new Error(`${method} ${path}: gave up after ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    figures.apiRetries++;
    await sleep(wait);
    wait = Math.min(wait * 2, 5000);
  }
}

/** The bank, retrying its simulated 503s. */
async function bank(path) {
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${bankUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
      status = res.status;
      text = await res.text();
      if (status === 200) return JSON.parse(text);
    } catch (e) {
      text = e.message;
    }
    if (attempt >= 30 || (status >= 400 && status < 500)) throw new Error(`bank GET ${path}: ${status} ${text.slice(0, 200)}`);
    figures.bankRetries++;
    await sleep(300);
  }
}

/** Runs `fn` over `items` with at most `limit` at a time; collects errors instead of stopping. */
async function pool(items, limit, fn) {
  const errors = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      try { await fn(items[i], i); } catch (e) { errors.push({ i, error: e }); }
    }
  }));
  return errors;
}

// ── the worker under chaos ──────────────────────────────────────────────────────────────
let childEnv;
let worker;
const workerLog = () => join(scratch, 'worker.log');
const chaosFigures = { lastKillAt: null, kills: 0, earlyKills: 0, unexpectedExits: 0, incarnations: 0, downMs: 0, startupMs: [] };
let downSince = null; // from a kill until some worker polls again

function startWorker() {
  chaosFigures.incarnations++;
  const at = Date.now();
  const w = startChild('worker', 'dist/worker/main.js', childEnv, {
    readyLine: /worker: polling/, logFile: workerLog(),
    onUnexpectedExit: ({ code, signal }) => {
      chaosFigures.unexpectedExits++;
      log(`worker exited on its own (code ${code}, signal ${signal}); restarting it`);
      if (chaosFigures.unexpectedExits > 20) {
        log(`the worker keeps exiting on its own; see ${workerLog()}`);
        keepScratch = true;
        void shutdown().finally(() => process.exit(1));
        return;
      }
      if (!chaos.running) { worker = startWorker(); }
      // under chaos, the loop notices the exit and restarts it
    },
  });
  w.startedAt = at;
  void w.ready.then((t) => {
    chaosFigures.startupMs.push(t - at);
    if (downSince !== null) { chaosFigures.downMs += t - downSince; downSince = null; }
  });
  return w;
}

let faults; // the scenario's fault loop (all but the worker scenario, which uses the chaos loop below)

const chaos = (() => {
  let stopRequested = false;
  let wake = () => {};
  let loop = Promise.resolve();
  const nap = (ms) => new Promise((r) => {
    const t = setTimeout(r, ms);
    wake = () => { clearTimeout(t); r(); };
  });
  return {
    running: false,
    start() {
      this.running = true;
      loop = (async () => {
        while (!stopRequested) {
          const w = worker;
          const early = chaosRandom() < S.earlyKillShare;
          if (early) {
            await Promise.race([nap(between(chaosRandom, [100, 4000])), w.exited]);
          } else {
            await Promise.race([w.ready, w.exited, sleep(90_000)]);
            if (!stopRequested) await Promise.race([nap(between(chaosRandom, S.killMs)), w.exited]);
          }
          if (stopRequested) break;
          const diedAlone = w.child.exitCode !== null || w.child.signalCode !== null;
          if (downSince === null) downSince = Date.now();
          if (!diedAlone) {
            w.expectedExit = true;
            w.child.kill('SIGKILL');
            chaosFigures.kills++;
            chaosFigures.lastKillAt = Date.now();
            if (!w.isReady) chaosFigures.earlyKills++;
          }
          await w.exited;
          await sleep(between(chaosRandom, S.pauseMs)); // not interrupted by stop: a kill is always followed by a restart
          worker = startWorker();
        }
      })();
    },
    async stop() {
      stopRequested = true;
      wake();
      await loop;
      this.running = false;
    },
  };
})();

// ── the run ─────────────────────────────────────────────────────────────────────────────
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); return ok; };
const SHIBAN = '522701101201';
const YANGLIU = '522701101202';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const TERMINAL = ['paid', 'failed', 'refused', 'rejected'];
const yuan = (fen) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
let db;
let temporalAddress;

async function main() {
  log(`seed ${S.seed}; ${S.count} disbursements, concurrency ${S.concurrency}; scratch ${scratch}`);

  // Servers
  // Both restartable in place (same port, same data): the postgres and temporal scenarios do that.
  const pgPort = await freePort();
  const startPg = () => startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: pgPort, persistent: true });
  let pgServer = await startPg();
  stops.push(() => pgServer.stop());
  const temporalPort = await freePort();
  const temporalDb = S.scenario === 'temporal' ? join(scratch, 'temporal.db') : undefined;
  const startTemporal = () => (cli
    ? startTemporalDevServer({ cli, port: temporalPort, dbFile: temporalDb, logFile: openSync(join(scratch, 'temporal.log'), 'a') })
    : startDownloadedTemporal({ port: temporalPort, dbFile: temporalDb }));
  let t = await startTemporal();
  stops.push(() => t.stop());
  temporalAddress = t.address;
  log(`Postgres on 127.0.0.1:${pgPort}, Temporal dev server (${temporalDb ? 'on a database file' : 'in memory'}) on ${temporalAddress}`);
  for (let i = 0; i < S.cpuHogs; i++) {
    const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.add(hog);
    hog.once('exit', () => children.delete(hog));
  }
  if (S.cpuHogs) log(`${S.cpuHogs} CPU hog process(es) running beside the system`);

  const bankPort = await freePort();
  const apiPort = await freePort();
  bankUrl = `http://127.0.0.1:${bankPort}`;
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const bankEnv = {
    ...process.env, BANK_PORT: String(bankPort), BANK_DATA_DIR: join(scratch, 'bank'), BANK_SEED: String(S.seed),
    BANK_TRANSIENT_FAILURE_RATE: process.env.BANK_TRANSIENT_FAILURE_RATE ?? '0.05',
    BANK_TIMEOUT_RATE: process.env.BANK_TIMEOUT_RATE ?? '0.03',
    BANK_TIMEOUT_DELAY_MS: process.env.BANK_TIMEOUT_DELAY_MS ?? '12000',
    BANK_SETTLE_DELAY_MS: process.env.BANK_SETTLE_DELAY_MS ?? '300',
    BANK_LATENCY_MS: process.env.BANK_LATENCY_MS ?? '5,30',
  };
  const fatal = (name) => ({ code, signal }) => {
    log(`${name} exited unexpectedly (code ${code}, signal ${signal}); see ${join(scratch, `${name}.log`)}`);
    keepScratch = true;
    void shutdown().finally(() => process.exit(1));
  };
  const startBank = async () => {
    const b = startChild('bank', 'dist/bank/main.js', bankEnv, { onUnexpectedExit: fatal('bank') });
    await waitUntil('the bank did not answer', () => fetch(`${bankUrl}/health`).then((r) => r.ok, () => false), 30_000);
    return b;
  };
  let bankProcess = await startBank();

  const databaseUrl = pgServer.url;
  childEnv = {
    ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, BANK_URL: bankUrl,
    TASK_QUEUE: `fault-${S.seed}`, PORT: String(apiPort), PUBLICITY_PERIOD: 'PT1S',
  };
  const usersFile = join(scratch, 'users.json');
  const seeded = spawnSync(process.execPath, ['dist/demo/seed-cli.js', 'directory', usersFile], { cwd: root, env: childEnv, stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding the directory failed');
  tokens = Object.fromEntries(JSON.parse(readFileSync(usersFile, 'utf8')).map((u) => [u.userId, u.token]));
  db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  db.on('error', () => undefined); // an idle connection cut by a Postgres restart is dropped, not fatal

  const startApi = async () => {
    const a = startChild('api', 'dist/api/main.js', childEnv, { onUnexpectedExit: fatal('api') });
    await waitUntil('the API did not become healthy', () => fetch(`${apiUrl}/health`).then((r) => r.ok, () => false), 90_000);
    return a;
  };
  worker = startWorker();
  let apiProcess = await startApi();
  await Promise.race([worker.ready, sleep(90_000)]);
  log(`bank ${bankUrl}, API ${apiUrl}, worker up (start-up ${chaosFigures.startupMs[0] ?? '?'} ms)`);

  // Households (before chaos: the set-up is not what is under test)
  const enrolStart = Date.now();
  const specs = Array.from({ length: S.households + S.closedHouseholds }, (_, i) => ({
    i, closed: i >= S.households, village: i % 2 === 0 ? SHIBAN : YANGLIU,
    account: i >= S.households ? `6228480033${String(i).padStart(2, '0')}0000` : `6228480011${String(i).padStart(2, '0')}${2000 + i}`,
  }));
  const enrolErrors = await pool(specs, 6, async (h) => { h.householdId = await enrol(h); });
  if (enrolErrors.length) throw new Error(`enrolment failed: ${enrolErrors.map((e) => e.error.message).join('; ')}`);
  log(`enrolled ${specs.length} households (${S.closedHouseholds} with closed accounts) in ${((Date.now() - enrolStart) / 1000).toFixed(1)} s`);

  // The plan: payees and amounts (≤ 2,000 yuan: one town approval), and a fund short of the total
  const good = specs.filter((h) => !h.closed);
  const closed = specs.filter((h) => h.closed);
  const plan = Array.from({ length: S.count }, (_, i) => {
    const payee = closed.length && planRandom() < S.closedShare ? closed[Math.floor(planRandom() * closed.length)] : good[Math.floor(planRandom() * good.length)];
    return { i, payee, amountFen: between(planRandom, [100, 2000]) * 100 };
  });
  const totalFen = plan.reduce((a, p) => a + p.amountFen, 0);
  // Short of what the open accounts need (closed ones hand their reservation back), so some are refused.
  const payableFen = plan.filter((p) => !p.payee.closed).reduce((a, p) => a + p.amountFen, 0);
  const depositFen = Math.floor((payableFen * S.fundedShare) / 100) * 100;
  const fundAccount = `6228${String(S.seed).padStart(10, '0').slice(-10)}77`;
  const fund = await api('POST', '/funds', { as: 'fund-manager', key: 'fault-fund', body: { name: 'Fault-test relief fund', jurisdiction: '522701', account: fundAccount } });
  await api('POST', `/funds/${fund.fundId}/deposits`, { as: 'fund-manager', key: 'fault-deposit', body: { amountFen: depositFen, source: 'budget', reference: 'fault test budget' } });
  log(`fund ${fund.fundId}: deposited ${yuan(depositFen)} yuan for ${S.count} payouts totalling ${yuan(totalFen)} yuan (${plan.filter((p) => p.payee.closed).length} to closed accounts)`);

  // Requests and approvals (and a burst of applications), while the scenario's part fails
  const kill = async (handle) => { handle.expectedExit = true; handle.child.kill('SIGKILL'); await handle.exited; };
  const cycle = (up, down) => ({ upEvery: () => between(chaosRandom, up), downFor: () => between(chaosRandom, down) });
  const loops = {
    api: () => faultLoop({ name: 'api SIGKILL', log, ...cycle([3000, 8000], [200, 1500]), breakIt: () => kill(apiProcess), mendIt: async () => { apiProcess = await startApi(); } }),
    postgres: () => faultLoop({ name: 'postgres restart', log, times: 2, ...cycle([8000, 15000], [3000, 8000]), breakIt: () => pgServer.stop(), mendIt: async () => { pgServer = await startPg(); } }),
    bank: () => faultLoop({ name: 'bank down', log, times: 1, upEvery: () => 5000, downFor: () => S.bankDownMs, breakIt: () => kill(bankProcess), mendIt: async () => { bankProcess = await startBank(); } }),
    temporal: () => faultLoop({ name: 'temporal restart', log, times: 2, ...cycle([8000, 15000], [2000, 5000]), breakIt: () => t.stop(), mendIt: async () => { t = await startTemporal(); } }),
  };
  faults = loops[S.scenario]?.();
  const runStart = Date.now();
  if (faults) {
    faults.start();
    log(`scenario ${S.scenario}: faults on (the worker runs undisturbed)`);
  } else {
    chaos.start();
    log(`chaos on: SIGKILL the worker ${S.killMs.join('–')} ms after it polls (${Math.round(S.earlyKillShare * 100)}% during start-up), restart after ${S.pauseMs.join('–')} ms`);
  }
  const burst = applicationBurst();
  let approved = 0;
  const progress = setInterval(() => log(`… ${approved}/${S.count} approved, ${faults ? faults.figures.faults : chaosFigures.kills} faults so far`), 15_000);
  const requestErrors = await pool(plan, S.concurrency, async (p) => {
    const d = await api('POST', '/disbursements', {
      as: 'fund-manager', key: `fault-disb-${p.i}`,
      body: { fundId: fund.fundId, payee: { type: 'household', householdId: p.payee.householdId }, purpose: 'one_time_relief', amountFen: p.amountFen },
    });
    p.disbursementId = d.disbursementId;
    if (d.requiredApprovals.length !== 1) throw new Error(`${d.disbursementId} needs ${d.requiredApprovals.join('+')} approvals`);
    await api('POST', `/disbursements/${d.disbursementId}/decisions`, { as: 'town-heping', key: `fault-approve-${p.i}`, body: { decision: 'approve' } });
    approved++;
  });
  const burstErrors = await burst;
  clearInterval(progress);
  const approvedAt = Date.now();
  await chaos.stop();
  await faults?.stop();
  for (const e of requestErrors.slice(0, 10)) log(`request/approval #${e.i} failed: ${e.error.message}`);
  check(requestErrors.length === 0, `${requestErrors.length} disbursements could not be requested or approved through the API`);
  for (const e of burstErrors.slice(0, 10)) log(`application #${e.i} failed: ${e.error.message}`);
  check(burstErrors.length === 0, `${burstErrors.length} applications or evaluations of the burst could not be made through the API`);
  log(`all ${approved} approved in ${((approvedAt - runStart) / 1000).toFixed(1)} s; faults off after ${faults ? faults.figures.faults : chaosFigures.kills}; waiting for every disbursement to end…`);
  if (!(await Promise.race([worker.ready.then(() => true), sleep(90_000).then(() => false)]))) log('the last worker did not report polling within 90 s');

  // Wait until every disbursement is terminal (bounded)
  const ids = plan.map((p) => p.disbursementId).filter(Boolean);
  let byStatus = {};
  const waitUntilMs = Date.now() + S.waitMs;
  let lastReport = 0;
  for (;;) {
    const rows = (await db.query('SELECT status, count(*)::int AS n FROM disbursements WHERE fund_id = $1 GROUP BY status', [fund.fundId])).rows;
    byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const open = rows.filter((r) => !TERMINAL.includes(r.status)).reduce((a, r) => a + r.n, 0);
    const known = rows.reduce((a, r) => a + r.n, 0);
    if (open === 0 && known >= ids.length) break;
    if (Date.now() > waitUntilMs) break;
    if (Date.now() - lastReport > 15_000) { lastReport = Date.now(); log(`… ${JSON.stringify(byStatus)}`); }
    await sleep(500);
  }
  const doneAt = Date.now();

  // Workflows ended too (a disbursement workflow returns once its status is final)
  const { Connection, Client } = require('@temporalio/client');
  const connection = await Connection.connect({ address: temporalAddress });
  // The engine's codec and keys, as the API and worker use them (payloads are encrypted).
  const payloadKeys = require('./dist/config/config.js').loadPayloadKeys(childEnv);
  const { openAccount } = require('./dist/crypto/sealed-field.js');
  const temporal = new Client({ connection, namespace: 'default', dataConverter: require('./dist/temporal/data-converter.js').engineDataConverter(payloadKeys) });
  const countWf = async (q) => Number((await temporal.workflow.count(q)).count);
  let runningWf = 0;
  try {
    await waitUntil('', async () => (runningWf = await countWf('WorkflowType="disbursement" AND ExecutionStatus="Running"')) === 0, 60_000, 1000);
  } catch { /* reported below */ }
  const notCompletedWf = await countWf('WorkflowType="disbursement" AND ExecutionStatus!="Completed" AND ExecutionStatus!="Running"');
  const stuck = (await db.query(`SELECT disbursement_id, status FROM disbursements WHERE fund_id = $1 AND status <> ALL($2::text[]) ORDER BY updated_at LIMIT 5`, [fund.fundId, TERMINAL])).rows;
  for (const s of stuck) log(`stuck: ${s.disbursement_id} is ${s.status}: ${await describeWorkflow(temporal, s.disbursement_id)}`);
  if (runningWf > 0) {
    for await (const wf of temporal.workflow.list({ query: 'WorkflowType="disbursement" AND ExecutionStatus="Running"' })) {
      log(`still running: ${wf.workflowId}: ${await describeWorkflow(temporal, wf.workflowId)}`);
    }
  }
  const workflowTasks = await workflowTaskStats(temporal, ids);
  await connection.close();

  // ── checks ──
  const report = {};
  const rows = (await db.query(`SELECT disbursement_id, status, amount_fen::int AS amount, state FROM disbursements WHERE fund_id = $1`, [fund.fundId])).rows;
  const byId = new Map(rows.map((r) => [r.disbursement_id, r]));
  const count = (st) => rows.filter((r) => r.status === st).length;
  const counts = { paid: count('paid'), failed: count('failed'), refused: count('refused'), other: rows.filter((r) => !['paid', 'failed', 'refused'].includes(r.status)).length };
  counts.other += ids.filter((id) => !byId.has(id)).length; // requested but never recorded
  report.counts = counts;
  check(counts.other === 0, `${counts.other} disbursements did not end paid, failed or refused: ${JSON.stringify(byStatus)}`);
  check(rows.length === S.count, `${rows.length} disbursements recorded for ${S.count} planned`);
  check(runningWf === 0, `${runningWf} disbursement workflows still running 60 s after the end`);
  check(notCompletedWf === 0, `${notCompletedWf} disbursement workflows ended other than Completed (failed, terminated, timed out)`);
  // the 0000 accounts fail at the bank; all others must not
  const closedAccount = (r) => (r.state.payee.accountMasked ?? r.state.payee.account).endsWith('0000');
  const failedGood = rows.filter((r) => r.status === 'failed' && !closedAccount(r)).length;
  const paidClosed = rows.filter((r) => r.status === 'paid' && closedAccount(r)).length;
  check(failedGood === 0, `${failedGood} disbursements to open accounts ended failed`);
  check(paidClosed === 0, `${paidClosed} disbursements to closed accounts ended paid`);

  // The bank: one payment per disbursement at most, matching its outcome
  const { payments } = await bank('/_admin/payments');
  const journal = readFileSync(join(scratch, 'bank', 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const acceptedPerKey = new Map();
  for (const j of journal) if (j.type === 'accepted') acceptedPerKey.set(j.payment.idempotencyKey, (acceptedPerKey.get(j.payment.idempotencyKey) ?? 0) + 1);
  const perReference = new Map();
  for (const p of payments) perReference.set(p.reference, (perReference.get(p.reference) ?? 0) + 1);
  const duplicates = [...acceptedPerKey.values()].filter((n) => n > 1).length + [...perReference.values()].filter((n) => n > 1).length;
  const paymentByKey = new Map(payments.map((p) => [p.idempotencyKey, p]));
  const stray = payments.filter((p) => !byId.has(p.idempotencyKey)).length;
  const pendingAtBank = payments.filter((p) => p.status === 'pending').length;
  let mismatched = 0;
  const mismatch = (what) => { if (mismatched++ < 5) log(`mismatch: ${what}`); };
  for (const r of rows) {
    const p = paymentByKey.get(r.disbursement_id);
    if (r.status === 'paid') {
      if (!p || p.status !== 'settled') mismatch(`${r.disbursement_id} is paid, the bank has ${p ? p.status : 'no payment'}`);
      else if (p.amountFen !== r.amount || p.toAccount !== openAccount(payloadKeys, r.state.payee.account) || p.fromAccount !== fundAccount || p.paymentId !== r.state.paymentId) mismatch(`${r.disbursement_id}: the bank paid ${p.amountFen} to another order than ours`);
    } else if (r.status === 'failed') {
      if (!p || p.status !== 'failed') mismatch(`${r.disbursement_id} is failed, the bank has ${p ? p.status : 'no payment'}`);
    } else if (r.status === 'refused') {
      if (p) mismatch(`${r.disbursement_id} was refused, yet the bank has a ${p.status} payment`);
    }
  }
  report.bank = { payments: payments.length, settled: payments.filter((p) => p.status === 'settled').length, failed: payments.filter((p) => p.status === 'failed').length, pending: pendingAtBank, duplicates, stray, mismatched };
  check(duplicates === 0, `${duplicates} duplicate payments at the bank`);
  check(stray === 0, `${stray} bank payments match no disbursement`);
  check(pendingAtBank === 0, `${pendingAtBank} bank payments still pending`);
  check(mismatched === 0, `${mismatched} disbursements whose bank payment does not match their outcome`);

  // The books
  const bal = (await db.query('SELECT deposited::bigint, available::bigint, reserved::bigint, paid::bigint FROM fund_balances WHERE fund_id = $1', [fund.fundId])).rows[0];
  const b = Object.fromEntries(Object.entries(bal).map(([k, v]) => [k, Number(v)]));
  const settledFen = payments.filter((p) => p.status === 'settled' && p.fromAccount === fundAccount).reduce((a, p) => a + p.amountFen, 0);
  const paidDisbFen = rows.filter((r) => r.status === 'paid').reduce((a, r) => a + r.amount, 0);
  const entries = (await db.query(`SELECT e.entry_id, e.fund_id, e.kind, e.reference, coalesce(sum(l.debit), 0)::bigint AS d, coalesce(sum(l.credit), 0)::bigint AS c, count(l.line_no)::int AS lines
    FROM ledger_entries e LEFT JOIN ledger_lines l USING (entry_id) GROUP BY e.entry_id`)).rows;
  const unbalanced = entries.filter((e) => e.d !== e.c || e.lines === 0).length;
  const fundEntries = entries.filter((e) => e.fund_id === fund.fundId);
  const kinds = {};
  const perStep = new Map();
  for (const e of fundEntries) {
    kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    const k = `${e.kind}:${e.reference}`;
    perStep.set(k, (perStep.get(k) ?? 0) + 1);
  }
  const doubleBooked = [...perStep.entries()].filter(([k, n]) => n > 1 && !k.startsWith('deposit:')).length;
  const accountBalance = async (name) => Number((await db.query('SELECT coalesce(sum(debit - credit), 0)::bigint AS b FROM ledger_lines l JOIN ledger_entries e USING (entry_id) WHERE e.fund_id = $1 AND l.account = $2', [fund.fundId, `fund:${fund.fundId}:${name}`])).rows[0].b);
  const ledgerAvailable = await accountBalance('available');
  const ledgerReserved = await accountBalance('reserved');
  const payRefs = new Set(fundEntries.filter((e) => e.kind === 'pay').map((e) => e.reference));
  const releaseRefs = new Set(fundEntries.filter((e) => e.kind === 'release').map((e) => e.reference));
  const reserveRefs = new Set(fundEntries.filter((e) => e.kind === 'reserve').map((e) => e.reference));
  const bookedWrong = rows.filter((r) => {
    const id = r.disbursement_id;
    if (r.status === 'paid') return !(reserveRefs.has(id) && payRefs.has(id) && !releaseRefs.has(id));
    if (r.status === 'failed') return !(reserveRefs.has(id) && releaseRefs.has(id) && !payRefs.has(id));
    if (r.status === 'refused') return reserveRefs.has(id) || payRefs.has(id) || releaseRefs.has(id);
    return false;
  }).length;
  report.books = { ...b, ledgerEntries: fundEntries.length, kinds, unbalanced, doubleBooked, bookedWrong, settledAtBankFen: settledFen };
  check(b.deposited === depositFen, `deposited ${b.deposited} ≠ the deposit ${depositFen}`);
  check(b.deposited === b.available + b.reserved + b.paid, `deposited ${b.deposited} ≠ available ${b.available} + reserved ${b.reserved} + paid ${b.paid}`);
  check(b.reserved === 0, `${b.reserved} fen still reserved at the end`);
  check(b.paid === settledFen, `the books say ${b.paid} fen paid, the bank settled ${settledFen}`);
  check(b.paid === paidDisbFen, `the books say ${b.paid} fen paid, paid disbursements total ${paidDisbFen}`);
  check(ledgerAvailable === b.available && ledgerReserved === b.reserved, `ledger accounts (available ${ledgerAvailable}, reserved ${ledgerReserved}) disagree with the balances`);
  check(unbalanced === 0, `${unbalanced} ledger entries do not balance`);
  check(doubleBooked === 0, `${doubleBooked} disbursement steps booked more than once`);
  check(bookedWrong === 0, `${bookedWrong} disbursements whose ledger entries do not fit their outcome`);

  // The bank's statement (every UTC day a payment settled on) against our paid disbursements
  const today = new Date().toISOString().slice(0, 10);
  if (S.selfTest) {
    const res = await fetch(`${bankUrl}/_admin/statement-lines`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: today, account: fundAccount, idempotencyKey: 'not-ours', reference: 'not ours', toAccount: '6228480099990001', amountFen: 12_300 }),
    });
    log(`self-test: planted a statement line we never paid (${res.status}); the statement checks must fail`);
  }
  const dates = [...new Set([today, ...payments.filter((p) => p.settledAt).map((p) => p.settledAt.slice(0, 10))])].sort();
  const lines = [];
  for (const date of dates) lines.push(...(await bank(`/statements/${date}?account=${fundAccount}`)).lines);
  const linesByKey = new Map();
  for (const l of lines) linesByKey.set(l.idempotencyKey, [...(linesByKey.get(l.idempotencyKey) ?? []), l]);
  const paidRows = rows.filter((r) => r.status === 'paid');
  const unmatchedOurs = paidRows.filter((r) => { const ls = linesByKey.get(r.disbursement_id); return !ls || ls.length !== 1 || ls[0].amountFen !== r.amount; }).length;
  const unmatchedBank = lines.filter((l) => byId.get(l.idempotencyKey)?.status !== 'paid').length;
  const statementFen = lines.reduce((a, l) => a + l.amountFen, 0);
  report.statement = { dates, lines: lines.length, totalFen: statementFen, unmatchedOurs, unmatchedBank };
  check(unmatchedOurs === 0, `${unmatchedOurs} paid disbursements without exactly one statement line of their amount`);
  check(unmatchedBank === 0, `${unmatchedBank} statement lines that are not a paid disbursement`);
  check(statementFen === b.paid, `the statement totals ${statementFen} fen, the books ${b.paid}`);

  // Hash chains
  const verify = spawnSync(process.execPath, ['dist/store/verify-cli.js'], { cwd: root, env: childEnv, encoding: 'utf8' });
  let chain;
  try { chain = JSON.parse(verify.stdout); } catch { chain = { ok: false, problem: `${verify.stdout}${verify.stderr}`.trim() }; }
  report.chain = chain;
  check(verify.status === 0 && chain.ok === true, `hash chain verification failed: ${JSON.stringify(chain)}`);

  // The burst: every application made one case, with one submission and one village evaluation
  const burstIds = burstCases.map((b) => b.caseId);
  const perCase = (await db.query(`SELECT s.stream_id, count(*) FILTER (WHERE e.type = 'ApplicationSubmitted')::int AS submitted,
      count(*) FILTER (WHERE e.type = 'StageDecided' AND e.data->>'stage' = 'village_evaluation')::int AS evaluated
    FROM streams s JOIN events e USING (stream_id) WHERE s.stream_id = ANY($1) GROUP BY s.stream_id`, [burstIds])).rows;
  const burstCasesMade = Number((await db.query(`SELECT count(*)::int AS n FROM streams WHERE stream_type = 'case' AND created_at >= to_timestamp($1 / 1000.0)`, [runStart])).rows[0].n);
  const notOnce = perCase.filter((r) => r.submitted !== 1 || r.evaluated !== 1).length + (burstIds.length - perCase.length);
  report.burst = { applications: S.applications, answered: burstCases.length, casesMade: burstCasesMade, notExactlyOnce: notOnce };
  check(burstCasesMade === S.applications, `${S.applications} applications made ${burstCasesMade} cases`);
  check(notOnce === 0, `${notOnce} burst cases without exactly one submission and one village evaluation`);

  // Retrying any request with its Idempotency-Key now gives the first answer again
  let replayMismatches = 0;
  const same = (a, b, what) => { if (a !== b && replayMismatches++ < 5) log(`replay mismatch: ${what}: ${a} then ${b}`); };
  for (const p of plan.filter((x) => x.disbursementId)) {
    const again = await api('POST', '/disbursements', { as: 'fund-manager', key: `fault-disb-${p.i}`, body: { fundId: fund.fundId, payee: { type: 'household', householdId: p.payee.householdId }, purpose: 'one_time_relief', amountFen: p.amountFen } });
    same(p.disbursementId, again.disbursementId, `disbursement #${p.i}`);
  }
  for (const b of burstCases) {
    same(b.caseId, (await api('POST', '/applications', b.app)).caseId, `application ${b.app.key}`);
    const decided = await api('POST', b.evaluation.path, b.evaluation);
    same(b.caseId, decided.caseId, `evaluation ${b.evaluation.key}`);
  }
  report.replays = { requests: plan.filter((x) => x.disbursementId).length + 2 * burstCases.length, mismatches: replayMismatches };
  check(replayMismatches === 0, `${replayMismatches} retried requests answered differently from the first time`);

  // Activity failures the workers logged, by failure type (insufficient_funds and bank_unavailable are expected)
  const activityFailures = {};
  const workerText = existsSync(workerLog()) ? readFileSync(workerLog(), 'utf8') : '';
  for (const block of workerText.split(/\[WARN\] Activity failed/).slice(1)) {
    const type = /^\s+type: '([^']+)'/m.exec(block)?.[1] ?? /^\s+error: (\w+)/m.exec(block)?.[1] ?? 'unknown';
    activityFailures[type] = (activityFailures[type] ?? 0) + 1;
  }

  // How long after the last kill the last disbursement ended (the system's own recovery time)
  const lastEnded = Number((await db.query('SELECT extract(epoch FROM max(updated_at)) * 1000 AS t FROM disbursements WHERE fund_id = $1', [fund.fundId])).rows[0].t);
  const lastFault = faults ? faults.figures.lastMendedAt : chaosFigures.lastKillAt;
  const settleAfterKillS = lastFault ? ((lastEnded - lastFault) / 1000).toFixed(1) : '?';

  // Latency of one disbursement, from its request to its final status
  const latencies = (await db.query(`SELECT extract(epoch FROM updated_at - requested_at) * 1000 AS ms FROM disbursements WHERE fund_id = $1 ORDER BY 1`, [fund.fundId])).rows.map((r) => Number(r.ms));
  const pct = (q) => (latencies.length ? (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] / 1000).toFixed(1) : '?');

  // ── figures ──
  const wall = (doneAt - runStart) / 1000;
  const startups = chaosFigures.startupMs;
  const figuresOut = [
    '',
    '── fault test: figures ────────────────────────────────────────────────',
    `seed                      ${S.seed}`,
    `disbursements             ${S.count} (≤ 2,000 yuan each, one town approval), ${plan.filter((p) => p.payee.closed).length} to accounts ending 0000`,
    `fund                      deposited ${yuan(depositFen)} yuan: ${Math.round(S.fundedShare * 100)}% of the ${yuan(payableFen)} to open accounts (${yuan(totalFen)} requested in all)`,
    `bank behaviour            503 rate ${bankEnv.BANK_TRANSIENT_FAILURE_RATE}, late-answer rate ${bankEnv.BANK_TIMEOUT_RATE} (${bankEnv.BANK_TIMEOUT_DELAY_MS} ms), settle ${bankEnv.BANK_SETTLE_DELAY_MS} ms`,
    `final status              paid ${counts.paid}, failed ${counts.failed}, refused (insufficient funds) ${counts.refused}, other ${counts.other}`,
    `worker kills (SIGKILL)    ${chaosFigures.kills} (${chaosFigures.earlyKills} during start-up), unexpected worker exits ${chaosFigures.unexpectedExits}, incarnations ${chaosFigures.incarnations}`,
    `scenario                  ${S.scenario}${faults ? `: ${faults.figures.faults} × ${faults.figures.name}, down ${(faults.figures.downMs / 1000).toFixed(1)} s in all` : ''}; CPU hogs ${S.cpuHogs}`,
    `last fault → last ended   ${settleAfterKillS} s (the last disbursement ended after the last ${faults ? 'fault was mended' : 'SIGKILL'})`,
    `application burst         ${report.burst.answered}/${S.applications} answered, ${report.burst.casesMade} cases made, not exactly once ${report.burst.notExactlyOnce}`,
    `replayed requests         ${report.replays.requests}, answered differently ${report.replays.mismatches}`,
    `worker start-up           median ${median(startups)} ms, max ${Math.max(0, ...startups)} ms; total down time ${(chaosFigures.downMs / 1000).toFixed(1)} s`,
    `bank                      ${report.bank.payments} payments (${report.bank.settled} settled, ${report.bank.failed} failed, ${report.bank.pending} pending), duplicates ${duplicates}, stray ${stray}, mismatched ${mismatched}`,
    `books                     deposited ${yuan(b.deposited)} = available ${yuan(b.available)} + reserved ${yuan(b.reserved)} + paid ${yuan(b.paid)} yuan; bank settled ${yuan(settledFen)} yuan`,
    `ledger                    ${fundEntries.length} entries ${JSON.stringify(kinds)}, unbalanced ${unbalanced} (of ${entries.length} in all), double-booked ${doubleBooked}, not fitting outcome ${bookedWrong}`,
    `statement                 ${lines.length} lines on ${dates.join(', ')}, ${yuan(statementFen)} yuan; unmatched ours ${unmatchedOurs}, unmatched bank ${unmatchedBank}`,
    `hash chains               ${chain.ok ? `ok (${chain.streams} streams, ${chain.events} events)` : `BROKEN ${JSON.stringify(chain)}`}`,
    `workflow tasks            max attempt ${workflowTasks.maxAttempt}, longest task timeout ${workflowTasks.maxTimeoutS} s, tasks timed out ${workflowTasks.timedOut} (in ${workflowTasks.histories} histories)`,
    `API / bank retries        ${figures.apiRetries} / ${figures.bankRetries}`,
    `activity failures logged  ${JSON.stringify(activityFailures)} (retried or handled by the workflow)`,
    `latency request→final     median ${pct(0.5)} s, p95 ${pct(0.95)} s, max ${pct(1 - 1e-9)} s`,
    `approval phase            ${((approvedAt - runStart) / 1000).toFixed(1)} s (requests + approvals under chaos)`,
    `wall time                 ${wall.toFixed(1)} s from first request to all terminal (${((Date.now() - started) / 1000).toFixed(1)} s with set-up)`,
    `throughput                ${(S.count / (wall / 60)).toFixed(1)} disbursements/min`,
    `assertion failures        ${failures.length}`,
    ...failures.map((f) => `  ✗ ${f}`),
    '───────────────────────────────────────────────────────────────────────',
    '',
  ];
  process.stdout.write(figuresOut.join('\n'));
  return failures.length === 0;
}

function median(xs) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * From each disbursement's history: the highest workflow-task attempt and the longest task
 * start-to-close timeout the server gave (it grows with the attempt, see services.mjs).
 */
async function workflowTaskStats(temporal, workflowIds) {
  const stats = { maxAttempt: 0, maxTimeoutS: 0, timedOut: 0, histories: 0 };
  for (const id of workflowIds) {
    let history;
    try { history = await temporal.workflow.getHandle(id).fetchHistory(); } catch { continue; }
    stats.histories++;
    for (const e of history.events ?? []) {
      const scheduled = e.workflowTaskScheduledEventAttributes;
      if (scheduled) {
        stats.maxAttempt = Math.max(stats.maxAttempt, scheduled.attempt ?? 1);
        stats.maxTimeoutS = Math.max(stats.maxTimeoutS, Number(scheduled.startToCloseTimeout?.seconds ?? 0));
      }
      if (e.workflowTaskTimedOutEventAttributes) stats.timedOut++;
    }
  }
  return stats;
}

async function describeWorkflow(temporal, id) {
  try {
    const d = await temporal.workflow.getHandle(id).describe();
    const acts = (d.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (${a.lastFailure.message.slice(0, 120)})` : ''}`);
    const task = d.raw.pendingWorkflowTask;
    const taskText = task ? `, workflow task ${task.state} attempt ${task.attempt}` : '';
    return `workflow ${d.status.name}, history ${d.historyLength} events${taskText}${acts.length ? `, pending ${acts.join('; ')}` : ''}`;
  } catch (e) {
    return `cannot describe: ${e.message}`;
  }
}

/** A household's application body (ID numbers unique per `i`). */
function householdFor(h) {
  const n = (k) => String(h.i * 2 + k).padStart(4, '0');
  return {
    members: [
      { name: `Head ${h.i}`, relation: 'head', idNumber: `52270119700101${n(0)}`, age: 56, ableToWork: true, health: 'chronic_illness' },
      { name: `Spouse ${h.i}`, relation: 'spouse', idNumber: `52270119720202${n(1)}`, age: 54, ableToWork: false, health: 'serious_illness' },
    ],
    annualIncomeFen: 210_000, housingGrade: 'C', primaryCause: 'illness', secondaryCauses: ['lack_of_skilled_labour'],
    requestedHelp: 'one-time relief', bankAccount: { bank: 'RCC', accountNumber: h.account },
  };
}
const villageUserOf = (village) => (village === SHIBAN ? 'village-shiban' : 'village-yangliu');

async function enrol(h) {
  const villageUser = villageUserOf(h.village);
  const household = householdFor(h);
  const c = await api('POST', '/applications', { as: villageUser, key: `fault-app-${h.i}`, body: { village: h.village, household } });
  const id = c.caseId;
  const at = (stage) => async () => (await api('GET', `/cases/${id}`, { as: 'county-office' })).stage === stage;
  await api('POST', `/cases/${id}/decisions`, { as: villageUser, key: `fault-eval-${h.i}`, body: { stage: 'village_evaluation', decision: 'approve', votes } });
  await waitUntil(`case ${id} did not reach town_audit`, at('town_audit'), 60_000);
  await api('POST', `/cases/${id}/decisions`, { as: 'town-heping', key: `fault-town-${h.i}`, body: { stage: 'town_audit', decision: 'approve' } });
  await waitUntil(`case ${id} did not reach county_approval`, at('county_approval'), 60_000);
  const done = await api('POST', `/cases/${id}/decisions`, { as: 'county-office', key: `fault-county-${h.i}`, body: { stage: 'county_approval', decision: 'approve' } });
  if (!done.householdId) throw new Error(`case ${id} ended without a household id`);
  return done.householdId;
}

/**
 * Applications, each followed by its village evaluation, sent with Idempotency-Keys while the
 * faults go on: afterwards each must exist exactly once. Returns the errors; fills `burstCases`.
 */
const burstCases = [];
const BURST_OFFSET = 1000; // household numbers apart from the enrolled ones
function applicationBurst() {
  const items = Array.from({ length: S.applications }, (_, k) => ({ i: BURST_OFFSET + k, village: k % 2 === 0 ? SHIBAN : YANGLIU, account: `62284800${String(BURST_OFFSET + k).padStart(6, '0')}55` }));
  return pool(items, 3, async (h) => {
    const as = villageUserOf(h.village);
    const app = { as, key: `fault-burst-app-${h.i}`, body: { village: h.village, household: householdFor(h) } };
    const c = await api('POST', '/applications', app);
    const evaluation = { as, key: `fault-burst-eval-${h.i}`, body: { stage: 'village_evaluation', decision: 'approve', votes } };
    await api('POST', `/cases/${c.caseId}/decisions`, evaluation);
    burstCases.push({ caseId: c.caseId, app, evaluation: { ...evaluation, path: `/cases/${c.caseId}/decisions` } });
  });
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  log(`failed: ${e.stack ?? e.message}`);
  keepScratch = true;
}
if (!ok) keepScratch = true;
await db?.end().catch(() => {});
await shutdown();
if (keepScratch) log(`logs kept in ${scratch} (worker.log, api.log, bank.log, temporal.log)`);
else rmSync(scratch, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
