// After a fault run: wait (bounded) until every disbursement and its workflow has ended, then
// check everything that must hold whatever failed: each disbursement ended paid, failed or
// refused; no duplicate payment at the bank; the books balance and match the bank and its
// statement; the hash chains verify; the burst made each case once; retried requests get the
// first answer. Every check that fails adds to `failures`; the numbers go to the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './install.mjs';
import { waitUntil } from './fault-host.mjs';
import { log, sleep } from './fault-settings.mjs';

const TERMINAL = ['paid', 'failed', 'refused', 'rejected'];

/** Waits until every disbursement is terminal (bounded), then for their workflows; describes what is stuck. */
export async function waitForTheEnd({ S, host, sys, money, require }) {
  const { plan, fund } = money;
  const { db } = sys;
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
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      log(`… ${JSON.stringify(byStatus)}`);
    }
    await sleep(500);
  }
  const doneAt = Date.now();

  // Workflows ended too (a disbursement workflow returns once its status is final)
  const { connection, temporal, payloadKeys, countWf } = await connectTemporal({ host, sys, require });
  let runningWf = 0;
  try {
    await waitUntil('', async () => (runningWf = await countWf('WorkflowType="disbursement" AND ExecutionStatus="Running"')) === 0, 60_000, 1000);
  } catch {
    /* reported below */
  }
  const notCompletedWf = await countWf('WorkflowType="disbursement" AND ExecutionStatus!="Completed" AND ExecutionStatus!="Running"');
  const stuck = (
    await db.query(`SELECT disbursement_id, status FROM disbursements WHERE fund_id = $1 AND status <> ALL($2::text[]) ORDER BY updated_at LIMIT 5`, [
      fund.fundId,
      TERMINAL,
    ])
  ).rows;
  for (const s of stuck) log(`stuck: ${s.disbursement_id} is ${s.status}: ${await describeWorkflow(temporal, s.disbursement_id)}`);
  if (runningWf > 0) {
    for await (const wf of temporal.workflow.list({ query: 'WorkflowType="disbursement" AND ExecutionStatus="Running"' })) {
      log(`still running: ${wf.workflowId}: ${await describeWorkflow(temporal, wf.workflowId)}`);
    }
  }
  const workflowTasks = await workflowTaskStats(temporal, ids);
  await connection.close();
  return { ids, byStatus, doneAt, runningWf, notCompletedWf, workflowTasks, payloadKeys };
}

/** A Temporal client with the engine's codec and keys, as the API and worker use them (payloads are encrypted). */
export async function connectTemporal({ host, sys, require }) {
  const { Connection, Client } = require('@temporalio/client');
  const connection = await Connection.connect({ address: sys.temporalAddress });
  const payloadKeys = require('./dist/config/config.js').loadPayloadKeys(host.childEnv);
  const temporal = new Client({
    connection,
    namespace: 'default',
    dataConverter: require('./dist/temporal/data-converter.js').engineDataConverter(payloadKeys),
  });
  const countWf = async (q) => Number((await temporal.workflow.count(q)).count);
  return { connection, temporal, payloadKeys, countWf };
}

export async function runChecks({ S, host, http, sys, money, run, end, require, check }) {
  const report = {};
  const ctx = { S, host, http, sys, money, run, end, require, check, report };
  const rows = await checkOutcomes(ctx);
  const bank = await checkBank(ctx, rows);
  await checkBooks(ctx, rows, bank.payments);
  await checkStatement(ctx, rows, bank.payments);
  checkChains(ctx);
  await checkBurst(ctx);
  await checkReplays(ctx);
  await measure(ctx);
  return report;
}

/** Every disbursement recorded and ended paid, failed or refused, as its account allows; returns the rows. */
async function checkOutcomes({ S, sys, money, end, check, report }) {
  const rows = (
    await sys.db.query(`SELECT disbursement_id, status, amount_fen::int AS amount, state FROM disbursements WHERE fund_id = $1`, [money.fund.fundId])
  ).rows;
  const byId = new Map(rows.map((r) => [r.disbursement_id, r]));
  const count = (st) => rows.filter((r) => r.status === st).length;
  const counts = {
    paid: count('paid'),
    failed: count('failed'),
    refused: count('refused'),
    other: rows.filter((r) => !['paid', 'failed', 'refused'].includes(r.status)).length,
  };
  counts.other += end.ids.filter((id) => !byId.has(id)).length; // requested but never recorded
  report.counts = counts;
  check(counts.other === 0, `${counts.other} disbursements did not end paid, failed or refused: ${JSON.stringify(end.byStatus)}`);
  check(rows.length === S.count, `${rows.length} disbursements recorded for ${S.count} planned`);
  check(end.runningWf === 0, `${end.runningWf} disbursement workflows still running 60 s after the end`);
  check(end.notCompletedWf === 0, `${end.notCompletedWf} disbursement workflows ended other than Completed (failed, terminated, timed out)`);
  // the 0000 accounts fail at the bank; all others must not
  const closedAccount = (r) => (r.state.payee.accountMasked ?? r.state.payee.account).endsWith('0000');
  const failedGood = rows.filter((r) => r.status === 'failed' && !closedAccount(r)).length;
  const paidClosed = rows.filter((r) => r.status === 'paid' && closedAccount(r)).length;
  check(failedGood === 0, `${failedGood} disbursements to open accounts ended failed`);
  check(paidClosed === 0, `${paidClosed} disbursements to closed accounts ended paid`);
  return rows;
}

/**
 * The bank's own records: its payments, and from its journal how often it accepted each
 * idempotency key (more than once would be a payment made twice).
 */
export async function bankRecords({ host, http }) {
  const { payments } = await http.bank('/_admin/payments');
  const journal = readFileSync(join(host.scratch, 'bank', 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const acceptedPerKey = new Map();
  for (const j of journal) if (j.type === 'accepted') acceptedPerKey.set(j.payment.idempotencyKey, (acceptedPerKey.get(j.payment.idempotencyKey) ?? 0) + 1);
  return { payments, acceptedPerKey };
}

/** The bank: one payment per disbursement at most, matching its outcome. */
async function checkBank({ host, http, money, end, require, check, report }, rows) {
  const { openAccount } = require('./dist/crypto/sealed-field.js');
  const byId = new Map(rows.map((r) => [r.disbursement_id, r]));
  const { payments, acceptedPerKey } = await bankRecords({ host, http });
  const perReference = new Map();
  for (const p of payments) perReference.set(p.reference, (perReference.get(p.reference) ?? 0) + 1);
  const duplicates = [...acceptedPerKey.values()].filter((n) => n > 1).length + [...perReference.values()].filter((n) => n > 1).length;
  const paymentByKey = new Map(payments.map((p) => [p.idempotencyKey, p]));
  const stray = payments.filter((p) => !byId.has(p.idempotencyKey)).length;
  const pendingAtBank = payments.filter((p) => p.status === 'pending').length;
  let mismatched = 0;
  const mismatch = (what) => {
    if (mismatched++ < 5) log(`mismatch: ${what}`);
  };
  for (const r of rows) {
    const p = paymentByKey.get(r.disbursement_id);
    if (r.status === 'paid') {
      if (!p || p.status !== 'settled') mismatch(`${r.disbursement_id} is paid, the bank has ${p ? p.status : 'no payment'}`);
      else if (
        p.amountFen !== r.amount ||
        p.toAccount !== openAccount(end.payloadKeys, r.state.payee.account) ||
        p.fromAccount !== money.fundAccount ||
        p.paymentId !== r.state.paymentId
      )
        mismatch(`${r.disbursement_id}: the bank paid ${p.amountFen} to another order than ours`);
    } else if (r.status === 'failed') {
      if (!p || p.status !== 'failed') mismatch(`${r.disbursement_id} is failed, the bank has ${p ? p.status : 'no payment'}`);
    } else if (r.status === 'refused') {
      if (p) mismatch(`${r.disbursement_id} was refused, yet the bank has a ${p.status} payment`);
    }
  }
  report.bank = {
    payments: payments.length,
    settled: payments.filter((p) => p.status === 'settled').length,
    failed: payments.filter((p) => p.status === 'failed').length,
    pending: pendingAtBank,
    duplicates,
    stray,
    mismatched,
  };
  check(duplicates === 0, `${duplicates} duplicate payments at the bank`);
  check(stray === 0, `${stray} bank payments match no disbursement`);
  check(pendingAtBank === 0, `${pendingAtBank} bank payments still pending`);
  check(mismatched === 0, `${mismatched} disbursements whose bank payment does not match their outcome`);
  return { payments };
}

/** The books: balances, ledger entries balanced and booked once, each fitting its disbursement's outcome. */
async function checkBooks({ sys, money, check, report }, rows, payments) {
  const { db } = sys;
  const { fund, fundAccount, depositFen } = money;
  const bal = (
    await db.query('SELECT deposited::bigint, available::bigint, reserved::bigint, paid::bigint FROM fund_balances WHERE fund_id = $1', [fund.fundId])
  ).rows[0];
  const b = Object.fromEntries(Object.entries(bal).map(([k, v]) => [k, Number(v)]));
  const settledFen = payments.filter((p) => p.status === 'settled' && p.fromAccount === fundAccount).reduce((a, p) => a + p.amountFen, 0);
  const paidDisbFen = rows.filter((r) => r.status === 'paid').reduce((a, r) => a + r.amount, 0);
  const entries = (
    await db.query(`SELECT e.entry_id, e.fund_id, e.kind, e.reference, coalesce(sum(l.debit), 0)::bigint AS d, coalesce(sum(l.credit), 0)::bigint AS c, count(l.line_no)::int AS lines
    FROM ledger_entries e LEFT JOIN ledger_lines l USING (entry_id) GROUP BY e.entry_id`)
  ).rows;
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
  const accountBalance = async (name) =>
    Number(
      (
        await db.query(
          'SELECT coalesce(sum(debit - credit), 0)::bigint AS b FROM ledger_lines l JOIN ledger_entries e USING (entry_id) WHERE e.fund_id = $1 AND l.account = $2',
          [fund.fundId, `fund:${fund.fundId}:${name}`],
        )
      ).rows[0].b,
    );
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
  report.books = {
    ...b,
    ledgerEntries: fundEntries.length,
    kinds,
    unbalanced,
    doubleBooked,
    bookedWrong,
    settledAtBankFen: settledFen,
    entriesInAll: entries.length,
  };
  check(b.deposited === depositFen, `deposited ${b.deposited} ≠ the deposit ${depositFen}`);
  check(b.deposited === b.available + b.reserved + b.paid, `deposited ${b.deposited} ≠ available ${b.available} + reserved ${b.reserved} + paid ${b.paid}`);
  check(b.reserved === 0, `${b.reserved} fen still reserved at the end`);
  check(b.paid === settledFen, `the books say ${b.paid} fen paid, the bank settled ${settledFen}`);
  check(b.paid === paidDisbFen, `the books say ${b.paid} fen paid, paid disbursements total ${paidDisbFen}`);
  check(
    ledgerAvailable === b.available && ledgerReserved === b.reserved,
    `ledger accounts (available ${ledgerAvailable}, reserved ${ledgerReserved}) disagree with the balances`,
  );
  check(unbalanced === 0, `${unbalanced} ledger entries do not balance`);
  check(doubleBooked === 0, `${doubleBooked} disbursement steps booked more than once`);
  check(bookedWrong === 0, `${bookedWrong} disbursements whose ledger entries do not fit their outcome`);
}

/** The bank's statement (every UTC day a payment settled on) against our paid disbursements. */
async function checkStatement({ S, sys, http, money, check, report }, rows, payments) {
  const { fundAccount } = money;
  const byId = new Map(rows.map((r) => [r.disbursement_id, r]));
  const today = new Date().toISOString().slice(0, 10);
  if (S.selfTest) {
    const res = await fetch(`${sys.bankUrl}/_admin/statement-lines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date: today,
        account: fundAccount,
        idempotencyKey: 'not-ours',
        reference: 'not ours',
        toAccount: '6228480099990001',
        amountFen: 12_300,
      }),
    });
    log(`self-test: planted a statement line we never paid (${res.status}); the statement checks must fail`);
  }
  const dates = [...new Set([today, ...payments.filter((p) => p.settledAt).map((p) => p.settledAt.slice(0, 10))])].sort();
  const lines = [];
  for (const date of dates) lines.push(...(await http.bank(`/statements/${date}?account=${fundAccount}`)).lines);
  const linesByKey = new Map();
  for (const l of lines) linesByKey.set(l.idempotencyKey, [...(linesByKey.get(l.idempotencyKey) ?? []), l]);
  const paidRows = rows.filter((r) => r.status === 'paid');
  const unmatchedOurs = paidRows.filter((r) => {
    const ls = linesByKey.get(r.disbursement_id);
    return !ls || ls.length !== 1 || ls[0].amountFen !== r.amount;
  }).length;
  const unmatchedBank = lines.filter((l) => byId.get(l.idempotencyKey)?.status !== 'paid').length;
  const statementFen = lines.reduce((a, l) => a + l.amountFen, 0);
  report.statement = { dates, lines: lines.length, totalFen: statementFen, unmatchedOurs, unmatchedBank };
  check(unmatchedOurs === 0, `${unmatchedOurs} paid disbursements without exactly one statement line of their amount`);
  check(unmatchedBank === 0, `${unmatchedBank} statement lines that are not a paid disbursement`);
  check(statementFen === report.books.paid, `the statement totals ${statementFen} fen, the books ${report.books.paid}`);
}

/** Hash chains. */
export function checkChains({ host, check, report }) {
  const verify = spawnSync(process.execPath, ['dist/store/verify-cli.js'], { cwd: root, env: host.childEnv, encoding: 'utf8' });
  let chain;
  try {
    chain = JSON.parse(verify.stdout);
  } catch {
    chain = { ok: false, problem: `${verify.stdout}${verify.stderr}`.trim() };
  }
  report.chain = chain;
  check(verify.status === 0 && chain.ok === true, `hash chain verification failed: ${JSON.stringify(chain)}`);
}

/** The burst: every application made one case, with one submission and one village evaluation. */
async function checkBurst({ S, sys, run, check, report }) {
  const { db } = sys;
  const burstIds = run.burstCases.map((b) => b.caseId);
  const perCase = (
    await db.query(
      `SELECT s.stream_id, count(*) FILTER (WHERE e.type = 'ApplicationSubmitted')::int AS submitted,
      count(*) FILTER (WHERE e.type = 'StageDecided' AND e.data->>'stage' = 'village_evaluation')::int AS evaluated
    FROM streams s JOIN events e USING (stream_id) WHERE s.stream_id = ANY($1) GROUP BY s.stream_id`,
      [burstIds],
    )
  ).rows;
  const burstCasesMade = Number(
    (await db.query(`SELECT count(*)::int AS n FROM streams WHERE stream_type = 'case' AND created_at >= to_timestamp($1 / 1000.0)`, [run.runStart])).rows[0].n,
  );
  const notOnce = perCase.filter((r) => r.submitted !== 1 || r.evaluated !== 1).length + (burstIds.length - perCase.length);
  report.burst = { applications: S.applications, answered: run.burstCases.length, casesMade: burstCasesMade, notExactlyOnce: notOnce };
  check(burstCasesMade === S.applications, `${S.applications} applications made ${burstCasesMade} cases`);
  check(notOnce === 0, `${notOnce} burst cases without exactly one submission and one village evaluation`);
}

/** Retrying any request with its Idempotency-Key now gives the first answer again. */
async function checkReplays({ http, money, run, check, report }) {
  const { api } = http;
  const { plan, fund } = money;
  let replayMismatches = 0;
  const same = (a, b, what) => {
    if (a !== b && replayMismatches++ < 5) log(`replay mismatch: ${what}: ${a} then ${b}`);
  };
  for (const p of plan.filter((x) => x.disbursementId)) {
    const again = await api('POST', '/disbursements', {
      as: 'fund-manager',
      key: `fault-disb-${p.i}`,
      body: { fundId: fund.fundId, payee: { type: 'household', householdId: p.payee.householdId }, purpose: 'one_time_relief', amountFen: p.amountFen },
    });
    same(p.disbursementId, again.disbursementId, `disbursement #${p.i}`);
  }
  for (const b of run.burstCases) {
    same(b.caseId, (await api('POST', '/applications', b.app)).caseId, `application ${b.app.key}`);
    const decided = await api('POST', b.evaluation.path, b.evaluation);
    same(b.caseId, decided.caseId, `evaluation ${b.evaluation.key}`);
  }
  report.replays = { requests: plan.filter((x) => x.disbursementId).length + 2 * run.burstCases.length, mismatches: replayMismatches };
  check(replayMismatches === 0, `${replayMismatches} retried requests answered differently from the first time`);
}

/** Figures that are not checks: logged activity failures, the recovery time after the last fault, latencies. */
async function measure({ host, sys, money, run, report }) {
  const { db } = sys;
  // Activity failures the workers logged, by failure type (insufficient_funds and bank_unavailable are expected)
  const activityFailures = {};
  const workerText = existsSync(host.workerLog()) ? readFileSync(host.workerLog(), 'utf8') : '';
  for (const block of workerText.split(/\[WARN\] Activity failed/).slice(1)) {
    const type = /^\s+type: '([^']+)'/m.exec(block)?.[1] ?? /^\s+error: (\w+)/m.exec(block)?.[1] ?? 'unknown';
    activityFailures[type] = (activityFailures[type] ?? 0) + 1;
  }
  report.activityFailures = activityFailures;

  // How long after the last kill the last disbursement ended (the system's own recovery time)
  const lastEnded = Number(
    (await db.query('SELECT extract(epoch FROM max(updated_at)) * 1000 AS t FROM disbursements WHERE fund_id = $1', [money.fund.fundId])).rows[0].t,
  );
  const lastFault = run.faults ? run.faults.figures.lastMendedAt : host.chaosFigures.lastKillAt;
  report.settleAfterKillS = lastFault ? ((lastEnded - lastFault) / 1000).toFixed(1) : '?';

  // Latency of one disbursement, from its request to its final status
  const latencies = (
    await db.query(`SELECT extract(epoch FROM updated_at - requested_at) * 1000 AS ms FROM disbursements WHERE fund_id = $1 ORDER BY 1`, [money.fund.fundId])
  ).rows.map((r) => Number(r.ms));
  report.latency = (q) => (latencies.length ? (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] / 1000).toFixed(1) : '?');
}

/**
 * From each disbursement's history: the highest workflow-task attempt and the longest task
 * start-to-close timeout the server gave (it grows with the attempt, see services.mjs).
 */
async function workflowTaskStats(temporal, workflowIds) {
  const stats = { maxAttempt: 0, maxTimeoutS: 0, timedOut: 0, histories: 0 };
  for (const id of workflowIds) {
    let history;
    try {
      history = await temporal.workflow.getHandle(id).fetchHistory();
    } catch {
      continue;
    }
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

export async function describeWorkflow(temporal, id) {
  try {
    const d = await temporal.workflow.getHandle(id).describe();
    const acts = (d.raw.pendingActivities ?? []).map(
      (a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (${a.lastFailure.message.slice(0, 120)})` : ''}`,
    );
    const task = d.raw.pendingWorkflowTask;
    const taskText = task ? `, workflow task ${task.state} attempt ${task.attempt}` : '';
    return `workflow ${d.status.name}, history ${d.historyLength} events${taskText}${acts.length ? `, pending ${acts.join('; ')}` : ''}`;
  } catch (e) {
    return `cannot describe: ${e.message}`;
  }
}
