import { nthResidentId } from '../domain/resident-id';
import { createHash, randomInt } from 'node:crypto';
import type { DemoClient } from './demo-client';

/**
 * The demo's revolving-loan story (issue #10): a pool raised from staff donations, a cattle-loan
 * scheme on it (1,100 yuan, 50% by 31 December, the rest a year later), a batch of a few newly
 * enrolled households through publicity, signatures and payouts, then a repayment and its
 * receipt. Each step prints a line, Chinese first, English second.
 */
const VILLAGE = '522701101201';
const LOAN_FEN = 110_000;
const HOUSEHOLDS = ['Sun Li', 'Ma Jun', 'Hu Ping'];
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });

export async function schemeStory(api: DemoClient, waitMs: number): Promise<void> {
  const say = (zh: string, en: string) => process.stdout.write(`  ${zh}\n    ${en}\n`);
  process.stdout.write('\n周转金养牛贷款 The cattle-loan scheme\n');

  const householdIds = await Promise.all(HOUSEHOLDS.map((name) => enrol(api, name, waitMs)));
  say(`已纳入建档立卡户 ${householdIds.length} 户`, `enrolled ${householdIds.length} households: ${householdIds.join(', ')}`);

  const account = `62284800${String(randomInt(10_000_000, 99_999_999))}`;
  const fund = (await api.call<{ fundId: string }>('POST', '/funds', 'fund-manager', { name: '养牛周转金 Cattle pool', jurisdiction: '522701', account })).body;
  const contributed = HOUSEHOLDS.length * LOAN_FEN + 70_000;
  await api.call('POST', `/funds/${fund.fundId}/deposits`, 'fund-manager', { amountFen: contributed, source: 'donation', reference: 'staff donations' });
  say(`资金池 ${fund.fundId}：干部捐款 ${yuan(contributed)} 元`, `pool ${fund.fundId}: ${yuan(contributed)} yuan of staff donations`);

  const scheme = (
    await api.call<{ schemeId: string }>('POST', '/loan-schemes', 'county-office', {
      name: '养牛周转贷款 Cattle revolving loans',
      fundId: fund.fundId,
      amountFen: LOAN_FEN,
      instalments: [
        { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 0 } },
        { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 1 } },
      ],
      graceDays: 15,
      eligibleVillages: [VILLAGE],
      writeOffBarYears: 3,
      inKindAllowed: true,
      agreementText: '借款协议：每户无息借款一千一百元，用于购买一头牛。\nLoan agreement: 1,100 yuan, interest-free, for one head of cattle.',
    })
  ).body;
  say(
    `贷款方案 ${scheme.schemeId}：每户 ${yuan(LOAN_FEN)} 元，当年12月31日前还50%，次年底还清`,
    `scheme ${scheme.schemeId}: ${yuan(LOAN_FEN)} yuan a household, 50% by 31 December, the rest a year later`,
  );

  type Batch = { batchId: string; status: string; households: { householdId: string; status: string; loanId?: string }[] };
  const batch = (await api.call<Batch>('POST', `/loan-schemes/${scheme.schemeId}/batches`, 'county-office', { householdIds })).body;
  const batchPath = `/loan-schemes/${scheme.schemeId}/batches/${batch.batchId}`;
  const batchNow = async () => (await api.call<Batch>('GET', batchPath, 'county-office')).body;
  say(`第一批 ${batch.batchId}：${householdIds.length} 户名单公示`, `first batch ${batch.batchId}: the list of ${householdIds.length} households publicised`);

  await api.waitFor('the batch to leave publicity', async () => (await batchNow()).status !== 'publicity', waitMs);
  for (const householdId of householdIds) {
    const scanHash = createHash('sha256').update(`signed agreement of ${householdId}`).digest('hex');
    await api.call('POST', `${batchPath}/signatures`, 'village-shiban', { householdId, method: 'attested', scanHash });
  }
  say(
    '公示期满无异议；村委会见证签订借款协议（扫描件哈希存档）',
    'publicity over, no objection; agreements signed on paper, attested by the village (scan hashes kept)',
  );

  await api.waitFor('every loan to be made', async () => (await batchNow()).households.every((h) => h.loanId), waitMs);
  const loanIds = (await batchNow()).households.map((h) => h.loanId as string);
  for (const loanId of loanIds) {
    const disbursement = `/disbursements/disb-${loanId}`;
    await api.waitFor(
      `${disbursement} to await approval`,
      async () => (await api.call<{ status: string }>('GET', disbursement, 'fund-manager')).body.status === 'awaiting_approval',
      waitMs,
    );
    await api.call('POST', `${disbursement}/decisions`, 'town-heping', { decision: 'approve' });
  }
  await api.waitFor('the batch to be paid', async () => (await batchNow()).status === 'completed', waitMs);
  say(`乡镇审批放款，银行已付 ${loanIds.length} 笔`, `the town approved each payout; the bank paid ${loanIds.length} loans`);

  const [first] = loanIds;
  await api.waitFor(
    `${first} to be active`,
    async () => (await api.call<{ status: string }>('GET', `/loans/${first}`, 'village-shiban')).body.status === 'active',
    waitMs,
  );
  const reference = `SB-${new Date().getFullYear()}-${String(randomInt(1000, 9999))}`;
  const repaid = (
    await api.call<{ repaymentId: string; outstandingFen: number }>('POST', `/loans/${first}/repayments`, 'village-shiban', {
      amountFen: LOAN_FEN / 2,
      method: 'cash',
      reference,
      receivedOn: new Date().toISOString().slice(0, 10),
    })
  ).body;
  const receipt = await api.text(`/loans/${first}/repayments/${repaid.repaymentId}/receipt`, 'village-shiban');
  say(
    `${first} 现金还款 ${yuan(LOAN_FEN / 2)} 元（收据号 ${reference}），尚欠 ${yuan(repaid.outstandingFen)} 元；${receipt.includes('还款收据') ? '收据可打印' : '收据缺失'}`,
    `${first} repaid ${yuan(LOAN_FEN / 2)} yuan in cash (receipt ${reference}), ${yuan(repaid.outstandingFen)} still owed; receipt GET /loans/${first}/repayments/${repaid.repaymentId}/receipt`,
  );

  type Books = { cashFen: number; receivableFen: number; inKindFen: number; writtenOffFen: number; contributionsFen: number };
  const summary = (await api.call<{ householdsServed: number; books: Books }>('GET', `/loan-schemes/${scheme.schemeId}`, 'supervisor')).body;
  const b = summary.books;
  say(
    `资金池账目：现金 ${yuan(b.cashFen)} + 应收 ${yuan(b.receivableFen)} + 实物 ${yuan(b.inKindFen)} + 核销 ${yuan(b.writtenOffFen)} = 筹资 ${yuan(b.contributionsFen)} 元`,
    `the pool's books: cash ${yuan(b.cashFen)} + receivable ${yuan(b.receivableFen)} + in kind ${yuan(b.inKindFen)} + written off ${yuan(b.writtenOffFen)} = contributions ${yuan(b.contributionsFen)} yuan`,
  );
}

/** A household through the identification procedure to enrolment, with a bank account for its payout. */
async function enrol(api: DemoClient, name: string, waitMs: number): Promise<string> {
  const idNumber = nthResidentId('522701', randomInt(0, 19_000_000));
  const household = {
    members: [{ name, relation: 'head', idNumber, ableToWork: true, health: 'healthy' }],
    annualIncomeFen: 300_000,
    housingGrade: 'C',
    primaryCause: 'lack_of_development_funds',
    secondaryCauses: [],
    requestedHelp: 'one head of cattle',
    bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: `62284800${idNumber.slice(-8)}` },
  };
  const c = (await api.call<{ caseId: string }>('POST', '/applications', 'village-shiban', { village: VILLAGE, household })).body.caseId;
  const decide = (as: string, stage: string) =>
    api.call('POST', `/cases/${c}/decisions`, as, { stage, decision: 'approve', ...(stage === 'village_evaluation' ? { votes } : {}) });
  await decide('village-shiban', 'village_evaluation');
  await api.waitForStage(c, ['town_audit'], waitMs);
  await decide('town-heping', 'town_audit');
  await api.waitForStage(c, ['county_approval'], waitMs);
  return (await decide('county-office', 'county_approval')).body.householdId as string;
}
