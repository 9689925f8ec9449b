// After the loans fault run: what must hold whatever was killed. Every payout ended; the bank
// (its own payments, journal and statement) paid each loan exactly once; every accepted
// repayment counts exactly once and the refused ones changed nothing; the pool's books balance;
// the hash chains verify. Each failed check adds to `failures`; the numbers go to the figures.
import { waitUntil } from './fault-host.mjs';
import { bankRecords, checkChains, connectTemporal } from './fault-checks.mjs';
import { LOAN_FEN } from './fault-loans-plan.mjs';
import { sleep } from './fault-settings.mjs';

/** Waits (bounded) until every loan's view shows what the API accepted (the read model follows the workflow). */
export async function waitForRepayments({ S, http, repayments }) {
  const expected = expectedPerLoan(repayments);
  const until = Date.now() + S.waitMs;
  for (;;) {
    const views = new Map(await Promise.all([...expected.keys()].map(async (id) => [id, await http.api('GET', `/loans/${id}`, { as: 'county-office' })])));
    const behind = [...expected].filter(([id, fen]) => views.get(id).repaidFen !== fen).length;
    if (behind === 0 || Date.now() > until) return { views, doneAt: Date.now() };
    await sleep(1000);
  }
}

function expectedPerLoan(repayments) {
  return new Map([...repayments.ledger].map(([loanId, l]) => [loanId, [...l.accepted.values()].reduce((a, r) => a + r.amountFen, 0)]));
}

export async function runLoanChecks({ S, host, http, sys, money, batch, payouts, repayments, settled, require, check }) {
  const report = {};
  const loans = batch.loans;
  const disbursementIds = new Set(loans.map((l) => `disb-${l.loanId}`));

  // Every payout ended, and ended paid (the pool held the cash; the accounts are open).
  const statuses = payouts.statuses.reduce((a, s) => ({ ...a, [s]: (a[s] ?? 0) + 1 }), {});
  report.payouts = { batch: payouts.batch.status, loans: loans.length, statuses };
  check(loans.length === money.households.length, `${loans.length} loans made for ${money.households.length} households`);
  check(payouts.batch.status === 'completed', `the batch ended ${payouts.batch.status}, not completed`);
  const notEnded = (statuses.pending ?? 0) + (statuses.unseen ?? 0);
  check(notEnded === 0, `${notEnded} loans still pending or unseen (their payout never ended)`);
  check(payouts.batch.loansPaid === loans.length, `the batch paid ${payouts.batch.loansPaid} of ${loans.length} loans`);

  // The bank: exactly one settled payment per loan, none other from the pool, none accepted twice.
  const { payments, acceptedPerKey } = await bankRecords({ host, http });
  const fromPool = payments.filter((p) => p.fromAccount === money.poolAccount);
  const perLoan = new Map();
  for (const p of fromPool) perLoan.set(p.idempotencyKey, (perLoan.get(p.idempotencyKey) ?? 0) + 1);
  const paidTwice = [...perLoan.values()].filter((n) => n > 1).length + [...disbursementIds].filter((id) => (acceptedPerKey.get(id) ?? 0) > 1).length;
  const unpaid = [...disbursementIds].filter((id) => !perLoan.has(id)).length;
  const stray = fromPool.filter((p) => !disbursementIds.has(p.idempotencyKey)).length;
  const wrongAmount = fromPool.filter((p) => p.amountFen !== LOAN_FEN).length;
  const notSettled = fromPool.filter((p) => p.status !== 'settled').length;
  const dates = [...new Set([new Date().toISOString().slice(0, 10), ...fromPool.filter((p) => p.settledAt).map((p) => p.settledAt.slice(0, 10))])];
  const lines = [];
  for (const date of dates) lines.push(...(await http.bank(`/statements/${date}?account=${money.poolAccount}`)).lines);
  const linesPerLoan = new Map();
  for (const l of lines) linesPerLoan.set(l.idempotencyKey, (linesPerLoan.get(l.idempotencyKey) ?? 0) + 1);
  const statementOff =
    [...disbursementIds].filter((id) => linesPerLoan.get(id) !== 1).length + lines.filter((l) => !disbursementIds.has(l.idempotencyKey)).length;
  report.bank = {
    payments: fromPool.length,
    settled: fromPool.length - notSettled,
    paidTwice,
    unpaid,
    stray,
    wrongAmount,
    statementLines: lines.length,
    statementOff,
  };
  check(paidTwice === 0, `${paidTwice} loans paid more than once at the bank`);
  check(unpaid === 0, `${unpaid} loans without a payment at the bank`);
  check(stray === 0, `${stray} payments from the pool that are no loan's`);
  check(wrongAmount === 0, `${wrongAmount} payments from the pool not of ${LOAN_FEN} fen`);
  check(notSettled === 0, `${notSettled} payments from the pool not settled`);
  check(statementOff === 0, `${statementOff} loans without exactly one line on the pool's statement (or lines of no loan)`);

  // Repayments: the sum per loan is the sum of the distinct accepted answers; refused ones left no trace.
  const expected = expectedPerLoan(repayments);
  let miscounted = 0;
  let tracesOfRefused = 0;
  let missingOrExtra = 0;
  for (const l of loans) {
    const view = settled.views.get(l.loanId);
    const mine = repayments.ledger.get(l.loanId);
    if (!view || !mine) continue;
    if (view.repaidFen !== expected.get(l.loanId) || view.outstandingFen !== LOAN_FEN - expected.get(l.loanId)) miscounted++;
    const live = view.repayments.filter((r) => !r.reversed);
    const acceptedIds = new Set([...mine.accepted.values()].map((r) => r.repaymentId));
    if (live.length !== acceptedIds.size || live.some((r) => !acceptedIds.has(r.repaymentId))) missingOrExtra++;
    if (view.repayments.some((r) => mine.refusedRefs.includes(r.reference))) tracesOfRefused++;
    if (expected.get(l.loanId) === LOAN_FEN && view.status !== 'repaid') miscounted++;
  }
  const acceptedFen = [...expected.values()].reduce((a, b) => a + b, 0);
  const f = repayments.figures;
  report.repayments = { ...f, acceptedFen, miscounted, missingOrExtra, tracesOfRefused, requestErrors: repayments.errors.length };
  check(repayments.errors.length === 0, `${repayments.errors.length} loans' repayments could not all be sent through the API`);
  check(miscounted === 0, `${miscounted} loans whose repaid sum differs from the accepted answers`);
  check(missingOrExtra === 0, `${missingOrExtra} loans whose repayments are not exactly the accepted ones (lost or counted twice)`);
  check(f.changedOnResend === 0, `${f.changedOnResend} repayments sent again with their key answered with another repayment`);
  check(f.acceptedOverpayments === 0 && f.refusedWrongly === 0, `refusals: ${f.acceptedOverpayments} accepted, ${f.refusedWrongly} answered other than 409`);
  check(tracesOfRefused === 0, `${tracesOfRefused} loans show a refused repayment`);

  // The pool's books, as GET /loan-schemes/{id} shows them.
  const summary = await http.api('GET', `/loan-schemes/${money.schemeId}`, { as: 'supervisor' });
  const b = summary.books ?? {};
  const lentFen = loans.length * LOAN_FEN;
  report.books = { ...b, principalLentFen: summary.principalLentFen, recoveredFen: summary.recoveredFen?.totalFen };
  check(
    b.cashFen + b.receivableFen + b.inKindFen + b.writtenOffFen + b.otherPayoutsFen === b.contributionsFen,
    `books: cash ${b.cashFen} + receivable ${b.receivableFen} + in kind ${b.inKindFen} + written off ${b.writtenOffFen} + other ${b.otherPayoutsFen} ≠ contributions ${b.contributionsFen}`,
  );
  check(
    b.cashFen === b.contributionsFen - b.lentFen + b.recoveredCashFen - b.otherPayoutsFen,
    `books: cash ${b.cashFen} ≠ contributions ${b.contributionsFen} − lent ${b.lentFen} + recovered ${b.recoveredCashFen} − other payouts ${b.otherPayoutsFen}`,
  );
  check(b.contributionsFen === money.contributionsFen, `books: contributions ${b.contributionsFen} ≠ deposited ${money.contributionsFen}`);
  check(b.lentFen === lentFen, `books: lent ${b.lentFen} ≠ ${loans.length} loans × ${LOAN_FEN}`);
  check(b.recoveredCashFen === acceptedFen, `books: recovered ${b.recoveredCashFen} ≠ accepted repayments ${acceptedFen}`);
  check(b.receivableFen === lentFen - acceptedFen, `books: receivable ${b.receivableFen} ≠ lent − recovered ${lentFen - acceptedFen}`);
  check(b.reservedFen === 0, `books: ${b.reservedFen} fen still reserved`);

  // The workflows: no disbursement or batch failed; no loan workflow failed or was terminated.
  const { connection, countWf } = await connectTemporal({ host, sys, require });
  let running = 0;
  await waitUntil('', async () => (running = await countWf('WorkflowType="disbursement" AND ExecutionStatus="Running"')) === 0, 60_000, 1000).catch(() => {});
  report.workflows = {
    disbursementsRunning: running,
    notCompleted: await countWf('(WorkflowType="disbursement" OR WorkflowType="loanBatch") AND ExecutionStatus!="Completed" AND ExecutionStatus!="Running"'),
    loansBroken: await countWf(
      'WorkflowType="revolvingLoan" AND ExecutionStatus!="Completed" AND ExecutionStatus!="Running" AND ExecutionStatus!="ContinuedAsNew"',
    ),
  };
  await connection.close();
  check(report.workflows.disbursementsRunning === 0, `${running} disbursement workflows still running`);
  check(report.workflows.notCompleted === 0, `${report.workflows.notCompleted} disbursement or batch workflows failed or were terminated`);
  check(report.workflows.loansBroken === 0, `${report.workflows.loansBroken} loan workflows failed or were terminated`);

  checkChains({ host, check, report });

  // Recovery: from the last kill of each phase to the last payout settled / the last repayment shown.
  const lastPaid = Number(
    (await sys.db.query('SELECT extract(epoch FROM max(updated_at)) * 1000 AS t FROM disbursements WHERE fund_id = $1', [money.fund.fundId])).rows[0].t,
  );
  report.recovery = {
    payoutsS: payouts.lastKillAt ? ((lastPaid - payouts.lastKillAt) / 1000).toFixed(1) : '?',
    repaymentsS: repayments.lastKillAt ? ((settled.doneAt - repayments.lastKillAt) / 1000).toFixed(1) : '?',
  };
  void S;
  return report;
}
