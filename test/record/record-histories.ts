/**
 * Records the histories that test/workflows/replay.test.ts replays. Not part of `npm test`:
 * run with `npm run record-histories` (jest.record.config.js matches only this file), which
 * starts the same throw-away Postgres and Temporal dev server as the tests. The steps run in
 * order and build on each other (an enrolled household is paid, then exits).
 *
 * identificationCase: the histories named `*.local-steps` are recorded on the current code (each
 * step recorded by a local activity, patch `record-case-step-locally`). The ones without the
 * suffix were recorded before that patch and are kept as they are: they are what a case started
 * before it looks like, and must go on replaying (they can no longer be recorded).
 */
import { intakeBatchWorkflowId } from '../../src/workflows/intake-batch';
import { reconciliationWorkflowId } from '../../src/workflows/reconciliation';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { caseScenarios } from './case-scenarios';
import { fundScenarios } from './fund-scenarios';
import { mustCall, record, syntheticHousehold, SYNTHETIC_ID_KEY } from './recorder';

const FUND_ACCOUNT = '9999000000000101';
const SMALL_FUND_ACCOUNT = '9999000000000102';

describe('record workflow histories into test/histories', () => {
  let api: ApiHarness;
  let cases: ReturnType<typeof caseScenarios>;
  let funds: ReturnType<typeof fundScenarios>;
  const households: Record<'paid' | 'closedAccount' | 'leaving', string> = { paid: '', closedAccount: '', leaving: '' };
  let fundId = '';
  let smallFundId = '';
  let day = '';

  beforeAll(async () => {
    // Long enough to lodge an objection before the village publicity ends, short enough to wait out.
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT3S', ID_HASH_KEY: SYNTHETIC_ID_KEY });
    cases = caseScenarios(api);
    funds = fundScenarios(api);
  }, 60_000);
  afterAll(() => api?.close());

  it('identificationCase: objection held then resolved, returned to the village, enrolled', async () => {
    const c = await cases.enrolAfterObjectionAndReturn(syntheticHousehold(1, '9999000011112222'));
    households.paid = c.householdId;
    await record(api, c.caseId, 'enrolled-after-objection-and-return.local-steps');
  }, 180_000);

  it('identificationCase: enrolled without incident; rejected by the village', async () => {
    const c = await cases.enrol(syntheticHousehold(2, '9999000011110000'));
    households.closedAccount = c.householdId;
    await record(api, c.caseId, 'enrolled.local-steps');
    await record(api, await cases.rejectAtVillage(syntheticHousehold(3, '9999000033332222')), 'rejected-by-village.local-steps');
  }, 180_000);

  it('identificationCase: an enrolled household exits', async () => {
    households.leaving = (await cases.enrol(syntheticHousehold(4, '9999000044442222'))).householdId;
    await record(api, await cases.exit(households.leaving), 'exit.local-steps');
  }, 180_000);

  it('disbursement: paid, paid after two approvals, rejected, failed at the bank, refused for insufficient funds', async () => {
    fundId = await funds.openFund(FUND_ACCOUNT, 10_000_000);
    const paid = await funds.disburse(fundId, households.paid, 150_000, ['town-heping'], 'paid');
    await record(api, paid, 'paid');
    await record(api, await funds.disburse(fundId, households.paid, 3_000_000, ['town-heping', 'county-office'], 'paid'), 'paid-after-two-approvals');
    await record(api, await funds.disburse(fundId, households.paid, 100_000, ['town-heping'], 'rejected', true), 'rejected');
    await record(api, await funds.disburse(fundId, households.closedAccount, 120_000, ['town-heping'], 'failed'), 'failed-at-bank');
    smallFundId = await funds.openFund(SMALL_FUND_ACCOUNT, 100_000);
    await record(api, await funds.disburse(smallFundId, households.paid, 150_000, ['town-heping'], 'refused'), 'refused-insufficient-funds');
    day = await funds.settledDay(paid);
  }, 180_000);

  it('reconciliation: a day that matches, and one with a bank line the books do not have', async () => {
    await record(api, await funds.reconcile(fundId, day, 0), 'matched');
    await funds.plantBankLine(SMALL_FUND_ACCOUNT, day);
    await record(api, await funds.reconcile(smallFundId, day, 1), 'mismatch');
  }, 180_000);

  it('reconcileAllFunds: every fund for one day, as the daily schedule runs it', async () => {
    const workflowId = `reconcile-all-${day}`;
    await api.env.client.workflow.execute('reconcileAllFunds', { taskQueue: api.taskQueue, workflowId, args: [{ date: day }] });
    await record(api, workflowId, 'all-funds');
    // Its children run as the schedule's (patient) reconciliations: a path of its own.
    await record(api, reconciliationWorkflowId(fundId, day), 'scheduled-child');
  }, 180_000);

  it('intakeBatch: a file with a row refused at upload, a household that already has a case, and a new one', async () => {
    const village = '522701101201';
    const existing = syntheticHousehold(5, '9999000055552222');
    await mustCall(api, 'POST', '/applications', 'village-shiban', { village, household: existing });
    const refusedAtUpload = { ...syntheticHousehold(6, '9999000066662222'), housingGrade: 'Z' };
    const batch = await mustCall(api, 'POST', '/intake/batches', 'village-shiban', {
      village,
      rows: [syntheticHousehold(7, '9999000077772222'), existing, refusedAtUpload],
    });
    // The history holds the batch id and line numbers only; record() checks that no ID number got in.
    await record(api, intakeBatchWorkflowId(batch.batchId), 'mixed');
  }, 180_000);
});
