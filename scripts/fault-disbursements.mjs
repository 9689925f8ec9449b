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
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';
import { createVerdicts, log, readSettings } from './lib/fault-settings.mjs';
import { createHost } from './lib/fault-host.mjs';
import { createClients } from './lib/fault-http.mjs';
import { startSystem } from './lib/fault-setup.mjs';
import { enrolHouseholds, planAndFund, runUnderFaults } from './lib/fault-plan.mjs';
import { runChecks, waitForTheEnd } from './lib/fault-checks.mjs';
import { printFigures } from './lib/fault-figures.mjs';

const S = readSettings();
const started = Date.now();
ensureNodeModules();
build();
const cli = ensureTemporalCli();
const services = await import('./lib/services.mjs');
const require = createRequire(join(root, 'package.json'));
// The bank's own PRNG (seeded): the plan (payees, amounts, chaos timing draws) repeats with FAULT_SEED.
const { mulberry32 } = require('./dist/bank/prng.js');
const planRandom = mulberry32(S.seed);
const chaosRandom = mulberry32(S.seed ^ 0x5bd1e995);
const host = createHost(S, chaosRandom);
const http = createClients();
const { failures, check } = createVerdicts();
let sys;

async function main() {
  log(`seed ${S.seed}; ${S.count} disbursements, concurrency ${S.concurrency}; scratch ${host.scratch}`);
  sys = await startSystem({ S, host, http, cli, services, pg: require('pg') });
  const households = await enrolHouseholds(S, http);
  const money = await planAndFund(S, http, households, planRandom);
  const run = await runUnderFaults({ S, host, http, sys, money, chaosRandom, check });
  const end = await waitForTheEnd({ S, host, sys, money, require });
  const report = await runChecks({ S, host, http, sys, money, run, end, require, check });
  printFigures({ S, host, http, sys, money, run, end, report, failures, started });
  return failures.length === 0;
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  log(`failed: ${e.stack ?? e.message}`);
  host.keep();
}
if (!ok) host.keep();
await sys?.db?.end().catch(() => {});
await host.shutdown();
if (host.keepsScratch) log(`logs kept in ${host.scratch} (worker.log, api.log, bank.log, temporal.log)`);
else rmSync(host.scratch, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
