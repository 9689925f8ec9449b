// What the loans fault run does through the API: a pool fund and a scheme on it (before any
// fault), then a batch of every enrolled household driven through publicity, signatures and
// payout approvals while the worker is SIGKILLed; then a stream of repayments (partial, some sent
// twice with the same Idempotency-Key, a few overpayments that must be refused) under chaos again.
import { createHash } from 'node:crypto';
import { waitUntil } from './fault-host.mjs';
import { pool } from './fault-http.mjs';
import { yuan } from './fault-plan.mjs';
import { between, log, sleep } from './fault-settings.mjs';

export const LOAN_FEN = 110_000; // 1,100 yuan: one head of cattle
const AGREEMENT = '借款协议：每户借款一千一百元，用于购买一头牛。\nLoan agreement: 1,100 yuan for one head of cattle, interest-free.';
const PLAN = [
  { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 0 } },
  { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 1 } },
];
const villageUserOf = (village) => (village === '522701101201' ? 'village-shiban' : 'village-yangliu');
const today = () => new Date().toISOString().slice(0, 10);

/** The pool (a special fund holding what the batch needs and a little more) and the scheme on it. */
export async function openScheme(S, { api }, households) {
  const poolAccount = `6228${String(S.seed).padStart(10, '0').slice(-10)}88`;
  const fund = await api('POST', '/funds', {
    as: 'fund-manager',
    key: 'fault-loans-pool',
    body: { name: 'Fault-test cattle pool', jurisdiction: '522701', account: poolAccount },
  });
  const contributionsFen = households.length * LOAN_FEN + 50_000;
  await api('POST', `/funds/${fund.fundId}/deposits`, {
    as: 'fund-manager',
    key: 'fault-loans-donations',
    body: { amountFen: contributionsFen, source: 'donation', reference: 'staff donations (fault test)' },
  });
  const scheme = await api('POST', '/loan-schemes', {
    as: 'county-office',
    key: 'fault-loans-scheme',
    body: {
      name: 'Fault-test cattle loans',
      fundId: fund.fundId,
      amountFen: LOAN_FEN,
      instalments: PLAN,
      graceDays: 15,
      eligibleVillages: [...new Set(households.map((h) => h.village))],
      writeOffBarYears: 3,
      inKindAllowed: true,
      agreementText: AGREEMENT,
    },
  });
  log(`pool ${fund.fundId}: ${yuan(contributionsFen)} yuan contributed; scheme ${scheme.schemeId} lends ${yuan(LOAN_FEN)} yuan a household`);
  return { fund, poolAccount, contributionsFen, schemeId: scheme.schemeId };
}

/**
 * Phase 1 under chaos: propose the batch, sign every agreement (attested by the village
 * official), approve every payout at /disbursements. Returns the loans (household, loan id).
 */
export async function runBatch({ S, http, money, check }) {
  const { api } = http;
  const { schemeId } = money;
  const households = money.households;
  const batchPath = (id) => `/loan-schemes/${schemeId}/batches/${id}`;
  const batch = await api('POST', `/loan-schemes/${schemeId}/batches`, {
    as: 'county-office',
    key: 'fault-loans-batch',
    body: { householdIds: households.map((h) => h.householdId) },
  });
  const batchOf = () => api('GET', batchPath(batch.batchId), { as: 'county-office' });
  log(`batch ${batch.batchId}: ${households.length} households in publicity`);
  await waitUntil('the batch did not reach signing', async () => (await batchOf()).status !== 'publicity', S.waitMs, 500);
  const signErrors = await pool(households, S.concurrency, async (h) => {
    await api('POST', `${batchPath(batch.batchId)}/signatures`, {
      as: villageUserOf(h.village),
      key: `fault-loans-sign-${h.i}`,
      body: { householdId: h.householdId, method: 'attested', scanHash: createHash('sha256').update(`scan of agreement ${h.i}`).digest('hex') },
    });
  });
  for (const e of signErrors.slice(0, 5)) log(`signature #${e.i} failed: ${e.error.message}`);
  check(signErrors.length === 0, `${signErrors.length} agreements could not be signed through the API`);
  log(`signed ${households.length - signErrors.length} agreements; waiting for the loans to be made…`);
  await waitUntil('not every household got its loan', async () => (await batchOf()).households.every((h) => h.loanId), S.waitMs, 500);
  const loans = (await batchOf()).households.map((h, i) => ({ i, householdId: h.householdId, village: h.village, loanId: h.loanId }));
  let approved = 0;
  const approveErrors = await pool(loans, S.concurrency, async (l) => {
    const disbursementId = `disb-${l.loanId}`;
    l.disbursementId = disbursementId;
    await waitUntil(
      `${disbursementId} did not await approval`,
      async () => (await api('GET', `/disbursements/${disbursementId}`, { as: 'fund-manager' }).catch(() => ({}))).status === 'awaiting_approval',
      S.waitMs,
      500,
    );
    await api('POST', `/disbursements/${disbursementId}/decisions`, { as: 'town-heping', key: `fault-loans-approve-${l.i}`, body: { decision: 'approve' } });
    approved++;
  });
  for (const e of approveErrors.slice(0, 5)) log(`approval #${e.i} failed: ${e.error.message}`);
  check(approveErrors.length === 0, `${approveErrors.length} payouts could not be approved through the API`);
  log(`approved ${approved} payouts`);
  return { batchId: batch.batchId, loans, batchOf };
}

/** Waits (bounded) until the batch completed and every loan is active: every payout ended. */
export async function waitForPayouts({ S, http, batch }) {
  const until = Date.now() + S.waitMs;
  let last = 0;
  for (;;) {
    const b = await batch.batchOf();
    // A loan the read model does not show yet is 404: not made yet, as far as anyone can see.
    const statusOf = (l) =>
      http.api('GET', `/loans/${l.loanId}`, { as: 'county-office' }).then(
        (x) => x.status,
        (e) => (e.status === 404 ? 'unseen' : Promise.reject(e)),
      );
    const statuses = await Promise.all(batch.loans.map(statusOf));
    const pending = statuses.filter((s) => s === 'pending' || s === 'unseen').length;
    if ((b.status === 'completed' && pending === 0) || Date.now() > until) return { batch: b, statuses };
    if (Date.now() - last > 15_000) {
      last = Date.now();
      log(`… batch ${b.status}, ${b.loansPaid} paid, ${pending} loans pending`);
    }
    await sleep(1000);
  }
}

/**
 * Phase 2 under chaos: per loan (loans in parallel, each loan's repayments in order) a few
 * partial cash repayments, every third sent a second time with its Idempotency-Key (sometimes
 * at once); every fifth loan repaid in full; every seventh sent one overpayment first; both must be
 * refused (409): more than is owed, and anything to a closed loan. Returns what the API answered, per loan.
 */
export async function runRepayments({ S, http, batch, planRandom }) {
  const { api } = http;
  const figures = { sent: 0, accepted: 0, resent: 0, refused: 0, refusedWrongly: 0, acceptedOverpayments: 0, changedOnResend: 0 };
  const ledger = new Map(); // loanId → { accepted: Map(key → { amountFen, repaymentId }), refusedRefs: [] }
  const progress = setInterval(() => log(`… ${figures.accepted} repayments accepted, ${figures.refused} refused`), 15_000);
  const errors = await pool(batch.loans, S.concurrency, async (l) => {
    const mine = { accepted: new Map(), refusedRefs: [] };
    ledger.set(l.loanId, mine);
    let outstanding = LOAN_FEN;
    const repay = (j, amountFen) => {
      const key = `fault-loans-repay-${l.i}-${j}`;
      const reference = `FR-${l.i}-${j}`;
      return {
        key,
        reference,
        send: () => api('POST', `/loans/${l.loanId}/repayments`, { as: 'cashier', key, body: { amountFen, method: 'cash', reference, receivedOn: today() } }),
      };
    };
    const parts = between(planRandom, [3, 6]);
    /** A repayment the API must refuse with 409 (more than is owed, or to a closed loan): it changes nothing. */
    const refused = async (r) => {
      figures.sent++;
      try {
        await r.send();
        figures.acceptedOverpayments++;
      } catch (e) {
        if (e.status === 409) figures.refused++;
        else figures.refusedWrongly++;
      }
      mine.refusedRefs.push(r.reference);
    };
    for (let j = 0; j < parts + 1; j++) {
      const last = j === parts;
      // Paced as officials record them, so that the stream lasts long enough for the worker to be killed in it.
      await sleep(between(planRandom, [300, 2500]));
      if (last && l.i % 7 === 3) await refused(repay(`over-${j}`, outstanding + 100));
      if (last && l.i % 5 !== 0) break;
      const amountFen = last ? outstanding : between(planRandom, [30, 150]) * 100;
      const r = repay(j, amountFen);
      figures.sent++;
      const twice = (l.i + j) % 3 === 0;
      const answers = twice && j % 2 === 0 ? await Promise.all([r.send(), r.send()]) : [await r.send()];
      if (twice && answers.length === 1) answers.push(await r.send());
      if (twice) figures.resent++;
      const ids = new Set(answers.map((a) => a.repaymentId));
      if (ids.size !== 1) figures.changedOnResend++;
      mine.accepted.set(r.key, { amountFen, repaymentId: answers[0].repaymentId, reference: r.reference });
      figures.accepted++;
      outstanding -= amountFen;
    }
    if (outstanding === 0) await refused(repay('closed', 100));
  });
  clearInterval(progress);
  for (const e of errors.slice(0, 5)) log(`repayments of loan #${e.i} failed: ${e.error.message}`);
  return { figures, ledger, errors };
}
