// The figures a fault run prints at the end (the same lines whatever the scenario).
import { yuan } from './fault-plan.mjs';

export function printFigures({ S, host, http, sys, money, run, end, report, failures, started }) {
  const { plan, depositFen, payableFen, totalFen } = money;
  const { faults, runStart, approvedAt } = run;
  const { chaosFigures } = host;
  const { bankEnv } = sys;
  const { counts, bank, books: b, statement, chain, burst, replays } = report;
  const pct = report.latency;
  const wall = (end.doneAt - runStart) / 1000;
  const startups = chaosFigures.startupMs;
  const { workflowTasks } = end;
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
    `last fault → last ended   ${report.settleAfterKillS} s (the last disbursement ended after the last ${faults ? 'fault was mended' : 'SIGKILL'})`,
    `application burst         ${burst.answered}/${S.applications} answered, ${burst.casesMade} cases made, not exactly once ${burst.notExactlyOnce}`,
    `replayed requests         ${replays.requests}, answered differently ${replays.mismatches}`,
    `worker start-up           median ${median(startups)} ms, max ${Math.max(0, ...startups)} ms; total down time ${(chaosFigures.downMs / 1000).toFixed(1)} s`,
    `bank                      ${bank.payments} payments (${bank.settled} settled, ${bank.failed} failed, ${bank.pending} pending), duplicates ${bank.duplicates}, stray ${bank.stray}, mismatched ${bank.mismatched}`,
    `books                     deposited ${yuan(b.deposited)} = available ${yuan(b.available)} + reserved ${yuan(b.reserved)} + paid ${yuan(b.paid)} yuan; bank settled ${yuan(b.settledAtBankFen)} yuan`,
    `ledger                    ${b.ledgerEntries} entries ${JSON.stringify(b.kinds)}, unbalanced ${b.unbalanced} (of ${b.entriesInAll} in all), double-booked ${b.doubleBooked}, not fitting outcome ${b.bookedWrong}`,
    `statement                 ${statement.lines} lines on ${statement.dates.join(', ')}, ${yuan(statement.totalFen)} yuan; unmatched ours ${statement.unmatchedOurs}, unmatched bank ${statement.unmatchedBank}`,
    `hash chains               ${chain.ok ? `ok (${chain.streams} streams, ${chain.events} events)` : `BROKEN ${JSON.stringify(chain)}`}`,
    `workflow tasks            max attempt ${workflowTasks.maxAttempt}, longest task timeout ${workflowTasks.maxTimeoutS} s, tasks timed out ${workflowTasks.timedOut} (in ${workflowTasks.histories} histories)`,
    `API / bank retries        ${http.figures.apiRetries} / ${http.figures.bankRetries}`,
    `activity failures logged  ${JSON.stringify(report.activityFailures)} (retried or handled by the workflow)`,
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
}

function median(xs) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
