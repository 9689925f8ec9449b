// `npm run fault:loans`: the fault test of issue #10 (revolving loans), beside `npm run fault`
// and on the same machinery (scripts/lib): the real processes (API, worker, simulated bank,
// embedded Postgres, the Temporal dev server), households enrolled through the API, a pool
// fund and a scheme on it; then a batch of FAULT_LOANS households driven through publicity,
// signatures and payout approvals while the chaos loop SIGKILLs the worker; then a stream of
// repayments (partial, some sent twice with the same Idempotency-Key, a few overpayments and
// payments to closed loans that must be refused) while the worker is killed again. Checks: every
// payout ended; the bank paid each loan exactly once (its payments, journal and statement);
// every accepted repayment counts exactly once and refused ones changed nothing; the pool's books
// balance; the hash chains verify. Prints its figures and exits non-zero when any check fails.
//
// Settings (environment): FAULT_LOANS (40), and of `npm run fault`'s: FAULT_CONCURRENCY (10),
// FAULT_SEED, FAULT_KILL_MS (2000,6000), FAULT_PAUSE_MS (200,2000), FAULT_EARLY_KILL_SHARE (0.1),
// FAULT_WAIT_MS (300000), FAULT_CPU_HOG (0), FAULT_KEEP=1.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, build } from './lib/install.mjs';
import { createVerdicts, log, readSettings, sleep } from './lib/fault-settings.mjs';
import { createHost } from './lib/fault-host.mjs';
import { createClients } from './lib/fault-http.mjs';
import { startSystem } from './lib/fault-setup.mjs';
import { enrolHouseholds, yuan } from './lib/fault-plan.mjs';
import { openScheme, runBatch, runRepayments, waitForPayouts } from './lib/fault-loans-plan.mjs';
import { runLoanChecks, waitForRepayments } from './lib/fault-loans-checks.mjs';

const S = readSettings();
S.loans = Number(process.env.FAULT_LOANS || 40);
if (!Number.isInteger(S.loans) || S.loans < 1) throw new Error('FAULT_LOANS must be an integer ≥ 1');
S.households = S.loans; // one loan a household, all with open accounts
S.closedHouseholds = 0;
const started = Date.now();
ensureNodeModules();
build();
const cli = ensureTemporalCli();
const services = await import('./lib/services.mjs');
const require = createRequire(join(root, 'package.json'));
const { mulberry32 } = require('./dist/bank/prng.js');
const planRandom = mulberry32(S.seed);
const chaosRandom = mulberry32(S.seed ^ 0x5bd1e995);
const host = createHost(S, chaosRandom);
const http = createClients();
const { failures, check } = createVerdicts();
let sys;

/** Runs `work` with the worker under chaos; returns its result and the phase's kills. */
async function underChaos(name, work) {
  const { chaos, chaosFigures } = host;
  const killsBefore = chaosFigures.kills;
  const t0 = Date.now();
  chaos.start();
  log(`${name}: chaos on (SIGKILL the worker ${S.killMs.join('–')} ms after it polls, restart after ${S.pauseMs.join('–')} ms)`);
  try {
    return { result: await work(), kills: chaosFigures.kills - killsBefore, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await chaos.stop();
    log(`${name}: chaos off after ${chaosFigures.kills - killsBefore} kills`);
    if (!(await Promise.race([host.worker.ready.then(() => true), sleep(90_000).then(() => false)]))) log('the last worker did not report polling within 90 s');
  }
}

async function main() {
  log(`seed ${S.seed}; ${S.loans} loans, concurrency ${S.concurrency}; scratch ${host.scratch}`);
  sys = await startSystem({ S, host, http, cli, services, pg: require('pg') });
  const households = await enrolHouseholds(S, http);
  const money = { ...(await openScheme(S, http, households)), households };

  const phase1 = await underChaos('batch', () => runBatch({ S, http, money, check }));
  const batch = phase1.result;
  const payouts = { ...(await waitForPayouts({ S, http, batch })), lastKillAt: host.chaosFigures.lastKillAt };
  log(`batch ${payouts.batch.status}: ${payouts.batch.loansPaid} loans paid`);

  const phase2 = await underChaos('repayments', () => runRepayments({ S, http, batch, planRandom }));
  const repayments = { ...phase2.result, lastKillAt: host.chaosFigures.lastKillAt };
  const settled = await waitForRepayments({ S, http, repayments });

  const report = await runLoanChecks({ S, host, http, sys, money, batch, payouts, repayments, settled, require, check });
  printFigures({ money, phase1, phase2, report });
  return failures.length === 0;
}

function printFigures({ money, phase1, phase2, report }) {
  const { chaosFigures } = host;
  const { bank, repayments: r, books: b } = report;
  const out = [
    '',
    '── loans fault test: figures ──────────────────────────────────────────',
    `seed                      ${S.seed}; CPU hogs ${S.cpuHogs}`,
    `scheme                    ${S.loans} households × ${yuan(110_000)} yuan; pool ${yuan(money.contributionsFen)} yuan contributed`,
    `worker kills (SIGKILL)    ${chaosFigures.kills} in all: ${phase1.kills} during the batch (${phase1.seconds.toFixed(1)} s), ${phase2.kills} during repayments (${phase2.seconds.toFixed(1)} s); ${chaosFigures.earlyKills} during start-up, unexpected exits ${chaosFigures.unexpectedExits}`,
    `payouts                   batch ${report.payouts.batch}; loans ${JSON.stringify(report.payouts.statuses)}`,
    `last kill → last payout   ${report.recovery.payoutsS} s (the last payout settled after the batch phase's last SIGKILL)`,
    `last kill → repayments    ${report.recovery.repaymentsS} s (from the last SIGKILL until every repayment was answered and every loan showed it)`,
    `bank                      ${bank.payments} payments from the pool (${bank.settled} settled), paid twice ${bank.paidTwice}, unpaid ${bank.unpaid}, stray ${bank.stray}, wrong amount ${bank.wrongAmount}; statement ${bank.statementLines} lines, off ${bank.statementOff}`,
    `repayments                ${r.sent} sent, ${r.accepted} accepted (${yuan(r.acceptedFen)} yuan), ${r.resent} sent again with their key (answered differently ${r.changedOnResend}), ${r.refused} refused with 409 (accepted ${r.acceptedOverpayments}, other answers ${r.refusedWrongly})`,
    `repayment checks          loans miscounted ${r.miscounted}, lost or doubled ${r.missingOrExtra}, showing a refused one ${r.tracesOfRefused}`,
    `pool's books              contributions ${yuan(b.contributionsFen)} = cash ${yuan(b.cashFen)} + receivable ${yuan(b.receivableFen)} + in kind ${yuan(b.inKindFen)} + written off ${yuan(b.writtenOffFen)} + other ${yuan(b.otherPayoutsFen)}; lent ${yuan(b.lentFen)}, recovered ${yuan(b.recoveredCashFen)}`,
    `workflows                 disbursements running ${report.workflows.disbursementsRunning}, disbursements/batch not completed ${report.workflows.notCompleted}, loans failed ${report.workflows.loansBroken}`,
    `hash chains               ${report.chain.ok ? `ok (${report.chain.streams} streams, ${report.chain.events} events)` : `BROKEN ${JSON.stringify(report.chain)}`}`,
    `API / bank retries        ${http.figures.apiRetries} / ${http.figures.bankRetries}`,
    `wall time                 ${((Date.now() - started) / 1000).toFixed(1)} s with set-up`,
    `assertion failures        ${failures.length}`,
    ...failures.map((f) => `  ✗ ${f}`),
    '───────────────────────────────────────────────────────────────────────',
    '',
  ];
  process.stdout.write(out.join('\n'));
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
