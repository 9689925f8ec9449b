// What a fault run does through the API: enrol households (before any fault: the set-up is not
// what is under test), plan the payouts and fund them short, then request and approve every
// payout (and a burst of applications) while the scenario's part fails.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './install.mjs';
import { faultLoop } from './fault-scenarios.mjs';
import { waitUntil } from './fault-host.mjs';
import { pool } from './fault-http.mjs';
import { between, log, sleep } from './fault-settings.mjs';

const SHIBAN = '522701101201';
const YANGLIU = '522701101202';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
export const yuan = (fen) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A household's application body (valid ID numbers unique per `i`, from the build: it runs before any household is made). */
function householdFor(h) {
  const { nthResidentId } = createRequire(import.meta.url)(join(root, 'dist', 'domain', 'resident-id.js'));
  const n = (k) => nthResidentId('522701', h.i * 2 + k);
  return {
    members: [
      { name: `Head ${h.i}`, relation: 'head', idNumber: n(0), ableToWork: true, health: 'chronic_illness' },
      { name: `Spouse ${h.i}`, relation: 'spouse', idNumber: n(1), ableToWork: false, health: 'serious_illness' },
    ],
    annualIncomeFen: 210_000,
    housingGrade: 'C',
    primaryCause: 'illness',
    secondaryCauses: ['lack_of_skilled_labour'],
    requestedHelp: 'one-time relief',
    bankAccount: { bank: 'RCC', accountNumber: h.account },
  };
}
const villageUserOf = (village) => (village === SHIBAN ? 'village-shiban' : 'village-yangliu');

/** Enrols the households the payouts go to; those from `S.households` on have closed accounts (ending 0000). */
export async function enrolHouseholds(S, { api }) {
  const enrolStart = Date.now();
  const specs = Array.from({ length: S.households + S.closedHouseholds }, (_, i) => ({
    i,
    closed: i >= S.households,
    village: i % 2 === 0 ? SHIBAN : YANGLIU,
    account: i >= S.households ? `6228480033${String(i).padStart(2, '0')}0000` : `6228480011${String(i).padStart(2, '0')}${2000 + i}`,
  }));
  const enrolErrors = await pool(specs, 6, async (h) => {
    h.householdId = await enrol(api, h);
  });
  if (enrolErrors.length) throw new Error(`enrolment failed: ${enrolErrors.map((e) => e.error.message).join('; ')}`);
  log(`enrolled ${specs.length} households (${S.closedHouseholds} with closed accounts) in ${((Date.now() - enrolStart) / 1000).toFixed(1)} s`);
  return specs;
}

async function enrol(api, h) {
  const villageUser = villageUserOf(h.village);
  const household = householdFor(h);
  const c = await api('POST', '/applications', { as: villageUser, key: `fault-app-${h.i}`, body: { village: h.village, household } });
  const id = c.caseId;
  const at = (stage) => async () => (await api('GET', `/cases/${id}`, { as: 'county-office' })).stage === stage;
  await api('POST', `/cases/${id}/decisions`, { as: villageUser, key: `fault-eval-${h.i}`, body: { stage: 'village_evaluation', decision: 'approve', votes } });
  await waitUntil(`case ${id} did not reach town_audit`, at('town_audit'), 60_000);
  await api('POST', `/cases/${id}/decisions`, { as: 'town-heping', key: `fault-town-${h.i}`, body: { stage: 'town_audit', decision: 'approve' } });
  await waitUntil(`case ${id} did not reach county_approval`, at('county_approval'), 60_000);
  const done = await api('POST', `/cases/${id}/decisions`, {
    as: 'county-office',
    key: `fault-county-${h.i}`,
    body: { stage: 'county_approval', decision: 'approve' },
  });
  if (!done.householdId) throw new Error(`case ${id} ended without a household id`);
  return done.householdId;
}

/** The plan: payees and amounts (≤ 2,000 yuan: one town approval), and a fund short of the total. */
export async function planAndFund(S, { api }, specs, planRandom) {
  const good = specs.filter((h) => !h.closed);
  const closed = specs.filter((h) => h.closed);
  const plan = Array.from({ length: S.count }, (_, i) => {
    const payee =
      closed.length && planRandom() < S.closedShare ? closed[Math.floor(planRandom() * closed.length)] : good[Math.floor(planRandom() * good.length)];
    return { i, payee, amountFen: between(planRandom, [100, 2000]) * 100 };
  });
  const totalFen = plan.reduce((a, p) => a + p.amountFen, 0);
  // Short of what the open accounts need (closed ones hand their reservation back), so some are refused.
  const payableFen = plan.filter((p) => !p.payee.closed).reduce((a, p) => a + p.amountFen, 0);
  const depositFen = Math.floor((payableFen * S.fundedShare) / 100) * 100;
  const fundAccount = `6228${String(S.seed).padStart(10, '0').slice(-10)}77`;
  const fund = await api('POST', '/funds', {
    as: 'fund-manager',
    key: 'fault-fund',
    body: { name: 'Fault-test relief fund', jurisdiction: '522701', account: fundAccount },
  });
  await api('POST', `/funds/${fund.fundId}/deposits`, {
    as: 'fund-manager',
    key: 'fault-deposit',
    body: { amountFen: depositFen, source: 'budget', reference: 'fault test budget' },
  });
  log(
    `fund ${fund.fundId}: deposited ${yuan(depositFen)} yuan for ${S.count} payouts totalling ${yuan(totalFen)} yuan (${plan.filter((p) => p.payee.closed).length} to closed accounts)`,
  );
  return { plan, fund, fundAccount, totalFen, payableFen, depositFen };
}

/**
 * Requests and approves every payout, and sends a burst of applications, while the scenario's
 * part fails; the faults stop once every request is answered. Failed requests are checks' failures.
 */
export async function runUnderFaults({ S, host, http, sys, money, chaosRandom, check }) {
  const { api } = http;
  const { plan, fund } = money;
  const kill = async (handle) => {
    handle.expectedExit = true;
    handle.child.kill('SIGKILL');
    await handle.exited;
  };
  const cycle = (up, down) => ({ upEvery: () => between(chaosRandom, up), downFor: () => between(chaosRandom, down) });
  const loops = {
    api: () =>
      faultLoop({
        name: 'api SIGKILL',
        log,
        ...cycle([3000, 8000], [200, 1500]),
        breakIt: () => kill(sys.apiProcess),
        mendIt: async () => {
          sys.apiProcess = await sys.startApi();
        },
      }),
    postgres: () =>
      faultLoop({
        name: 'postgres restart',
        log,
        times: 2,
        ...cycle([8000, 15000], [3000, 8000]),
        breakIt: () => sys.pgServer.stop(),
        mendIt: async () => {
          sys.pgServer = await sys.startPg();
        },
      }),
    bank: () =>
      faultLoop({
        name: 'bank down',
        log,
        times: 1,
        upEvery: () => 5000,
        downFor: () => S.bankDownMs,
        breakIt: () => kill(sys.bankProcess),
        mendIt: async () => {
          sys.bankProcess = await sys.startBank();
        },
      }),
    temporal: () =>
      faultLoop({
        name: 'temporal restart',
        log,
        times: 2,
        ...cycle([8000, 15000], [2000, 5000]),
        breakIt: () => sys.temporal.stop(),
        mendIt: async () => {
          sys.temporal = await sys.startTemporal();
        },
      }),
  };
  const faults = loops[S.scenario]?.();
  host.faults = faults;
  const { chaos, chaosFigures } = host;
  const runStart = Date.now();
  if (faults) {
    faults.start();
    log(`scenario ${S.scenario}: faults on (the worker runs undisturbed)`);
  } else {
    chaos.start();
    log(
      `chaos on: SIGKILL the worker ${S.killMs.join('–')} ms after it polls (${Math.round(S.earlyKillShare * 100)}% during start-up), restart after ${S.pauseMs.join('–')} ms`,
    );
  }
  const burstCases = [];
  const burst = applicationBurst(S, api, burstCases);
  let approved = 0;
  const progress = setInterval(() => log(`… ${approved}/${S.count} approved, ${faults ? faults.figures.faults : chaosFigures.kills} faults so far`), 15_000);
  const requestErrors = await pool(plan, S.concurrency, async (p) => {
    const d = await api('POST', '/disbursements', {
      as: 'fund-manager',
      key: `fault-disb-${p.i}`,
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
  log(
    `all ${approved} approved in ${((approvedAt - runStart) / 1000).toFixed(1)} s; faults off after ${faults ? faults.figures.faults : chaosFigures.kills}; waiting for every disbursement to end…`,
  );
  if (!(await Promise.race([host.worker.ready.then(() => true), sleep(90_000).then(() => false)]))) log('the last worker did not report polling within 90 s');
  return { faults, runStart, approvedAt, burstCases };
}

/**
 * Applications, each followed by its village evaluation, sent with Idempotency-Keys while the
 * faults go on: afterwards each must exist exactly once. Returns the errors; fills `burstCases`.
 */
const BURST_OFFSET = 1000; // household numbers apart from the enrolled ones
function applicationBurst(S, api, burstCases) {
  const items = Array.from({ length: S.applications }, (_, k) => ({
    i: BURST_OFFSET + k,
    village: k % 2 === 0 ? SHIBAN : YANGLIU,
    account: `62284800${String(BURST_OFFSET + k).padStart(6, '0')}55`,
  }));
  return pool(items, 3, async (h) => {
    const as = villageUserOf(h.village);
    const app = { as, key: `fault-burst-app-${h.i}`, body: { village: h.village, household: householdFor(h) } };
    const c = await api('POST', '/applications', app);
    const evaluation = { as, key: `fault-burst-eval-${h.i}`, body: { stage: 'village_evaluation', decision: 'approve', votes } };
    await api('POST', `/cases/${c.caseId}/decisions`, evaluation);
    burstCases.push({ caseId: c.caseId, app, evaluation: { ...evaluation, path: `/cases/${c.caseId}/decisions` } });
  });
}
