import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { toProblem } from '../../src/api/http/problem';
import { decideUpdate } from '../../src/workflows/identification-case';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const YANGLIU = '522701101202';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const CSV_HEADER = 'head_name,head_id_number,head_age,head_able_to_work,head_health,annual_income_fen,housing_grade,primary_cause,requested_help';

/** What a hostile tester found (issue #8): one character, one setting or one number literal that broke a case, a village or the books. */
describe('bad input (issue #8)', () => {
  let api: ApiHarness;
  // A short Temporal deadline: on a wedged case the old code answered only when this ran out.
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT2S', TEMPORAL_CALL_TIMEOUT: 'PT10S' });
  });
  afterAll(() => api?.close());

  async function newCase(village = SHIBAN, as = 'village-shiban') {
    const r = await api.call('POST', '/applications', { as, body: { village, household: householdInput() } });
    expect(r.status).toBe(201);
    return r.body.case as { caseId: string; householdHash: string };
  }
  const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);
  const rawDecision = (caseId: string, json: string) => api.call('POST', `/cases/${caseId}/decisions`, { as: 'village-shiban', raw: json });

  describe('one character wedged a case forever', () => {
    it('answers 400 naming body.reason for "reason":"ok\\u0000x", and the same case then takes a valid decision', async () => {
      const c = await newCase();
      const bad = await rawDecision(c.caseId, `{"stage":"village_evaluation","decision":"approve","reason":"ok\\u0000x","votes":${JSON.stringify(votes)}}`);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(paths(bad)).toEqual(['body.reason']);
      const good = await rawDecision(c.caseId, `{"stage":"village_evaluation","decision":"approve","reason":"ok","votes":${JSON.stringify(votes)}}`);
      expect(good.status).toBe(200);
      expect(good.body.stage).toBe('village_publicity');
    });

    it('refuses a lone surrogate or a control character in every text that travels through a workflow', async () => {
      const c = await newCase();
      const badHousehold = householdInput();
      badHousehold.members[1].name = 'Li\u0007Si';
      badHousehold.requestedHelp = 'help \udc00';
      const apply = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: badHousehold } });
      expect(apply.status).toBe(400);
      expect(paths(apply).sort()).toEqual(['body.household.members.1.name', 'body.household.requestedHelp']);
      const decided = await api.call('POST', `/cases/${c.caseId}/decisions`, {
        as: 'village-shiban',
        body: { stage: 'village_evaluation', decision: 'approve', votes },
      });
      expect(decided.status).toBe(200);
      const objection = await api.call('POST', `/cases/${c.caseId}/objections`, { as: 'applicant-baiyun-1', raw: '{"grounds":"\\ud800 a new car"}' });
      expect(objection.status).toBe(400);
      expect(paths(objection)).toEqual(['body.grounds']);
      const lodged = await api.call('POST', `/cases/${c.caseId}/objections`, { as: 'applicant-baiyun-1', body: { grounds: 'a new car' } });
      expect(lodged.status).toBe(201);
      const resolution = await api.call('POST', `/objections/${lodged.body.objectionId}/resolution`, {
        as: 'town-heping',
        body: { substantiated: false, finding: 'the cousin\u2028s car' },
      });
      expect(resolution.status).toBe(400);
      expect(paths(resolution)).toEqual(['body.finding']);
      expect(
        (
          await api.call('POST', `/objections/${lodged.body.objectionId}/resolution`, {
            as: 'town-heping',
            body: { substantiated: false, finding: "the cousin's car" },
          })
        ).status,
      ).toBe(200);
    });

    it('an activity whose data Postgres refuses (22P05) fails the step at once, as a 400, and the case takes the next decision', async () => {
      const c = await newCase();
      // Straight to the workflow, past the API's validation: what the store refuses must not be retried forever.
      const handle = api.env.client.workflow.getHandle(c.caseId);
      const started = Date.now();
      const outcome = await Promise.race([
        handle
          .executeUpdate(decideUpdate, {
            args: [
              {
                type: 'Decide',
                stage: 'village_evaluation',
                decision: 'approve',
                reason: 'ok\u0000x',
                votes,
                householdHash: c.householdHash,
                actor: { userId: 'village-shiban', role: 'village_official', jurisdiction: SHIBAN },
              },
            ],
          })
          .then(
            () => 'accepted',
            (e: unknown) => e,
          ),
        new Promise((resolve) => {
          setTimeout(() => resolve('still retrying'), 15_000);
        }),
      ]);
      expect(outcome).toBeInstanceOf(WorkflowUpdateFailedError);
      // A case step is a local activity (issue #11): its failure reaches the Update as the
      // ApplicationFailure itself, not wrapped in an ActivityFailure as an ordinary activity's.
      const failure = (outcome as WorkflowUpdateFailedError).cause;
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'InvalidData', nonRetryable: true });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(toProblem(outcome).problem).toMatchObject({ status: 400, type: 'https://aid.example/problems/invalid-data' });
      const events = (await api.call('GET', `/cases/${c.caseId}/events`, { as: 'auditor' })).body.events.map((e: { type: string }) => e.type);
      expect(events).toEqual(['ApplicationSubmitted', 'StageEntered']);
      const good = await api.call('POST', `/cases/${c.caseId}/decisions`, {
        as: 'village-shiban',
        body: { stage: 'village_evaluation', decision: 'approve', reason: 'ok', votes },
      });
      expect(good.status).toBe(200);
      expect(good.body.stage).toBe('village_publicity');
    });

    it('endpoints that write directly answer 400, not 500: fund name, deposit reference, intake rows (JSON and CSV)', async () => {
      const openFund = await api.call('POST', '/funds', {
        as: 'fund-manager',
        body: { name: 'Relief\u0000fund', jurisdiction: '522701', account: '62284800000000771' },
      });
      expect(openFund.status).toBe(400);
      expect(paths(openFund)).toEqual(['body.name']);
      const fund = await api.call('POST', '/funds', {
        as: 'fund-manager',
        body: { name: 'Relief fund', jurisdiction: '522701', account: '62284800000000771' },
      });
      expect(fund.status).toBe(201);
      const deposit = await api.call('POST', `/funds/${fund.body.fundId}/deposits`, {
        as: 'fund-manager',
        body: { amountFen: 100, source: 'budget', reference: 'budget\u0000 2026' },
      });
      expect(deposit.status).toBe(400);
      expect(paths(deposit)).toEqual(['body.reference']);

      const badRow = householdInput();
      badRow.members[0].name = 'Zhang\u0000San';
      const json = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows: [badRow] } });
      expect(json.status).toBe(202);
      expect(json.body.rejected).toEqual([{ line: 1, errors: [expect.objectContaining({ path: 'members.0.name' })] }]);

      const h = householdInput();
      const head = h.members[0];
      const line = ['"Sun\u0000Qiang"', head.idNumber, head.age, head.ableToWork, head.health, 150000, 'C', 'illness', '"roof\u001b[2J repair"'].join(',');
      const csv = await api.call('POST', `/intake/batches?village=${SHIBAN}`, {
        as: 'village-shiban',
        raw: `${CSV_HEADER}\n${line}\n`,
        headers: { 'content-type': 'text/csv' },
      });
      expect(csv.status).toBe(202);
      expect(csv.body.rejected).toHaveLength(1);
      expect(csv.body.rejected[0].errors.map((e: { path: string }) => e.path).sort()).toEqual(['head_name', 'requested_help']);

      const header = await api.call('POST', `/intake/batches?village=${SHIBAN}`, {
        as: 'village-shiban',
        raw: `${CSV_HEADER},x\u0000y\n${line},z\n`,
        headers: { 'content-type': 'text/csv', 'idempotency-key': 'bad-header' },
      });
      expect(header.status).toBe(400);
      expect(JSON.stringify(header.body)).not.toContain('\u0000');
    });
  });

  describe('a setting broke a whole village', () => {
    it('refuses publicity periods outside 1–60 days and stage limits outside 1–180 days, and the village keeps approving', async () => {
      const set = (body: Record<string, string>) => api.call('POST', `/jurisdictions/${YANGLIU}/settings`, { as: 'county-office', body });
      for (const publicityPeriod of ['P99999999999D', `P${'9'.repeat(400)}D`, 'PT0S', 'P0D', 'PT23H59M', 'P61D']) {
        const r = await set({ publicityPeriod });
        expect({ publicityPeriod, status: r.status, paths: paths(r) }).toEqual({ publicityPeriod, status: 400, paths: ['body.publicityPeriod'] });
      }
      for (const stageTimeLimit of ['P99999999999D', 'PT0S', 'P181D']) {
        const r = await set({ stageTimeLimit });
        expect({ stageTimeLimit, status: r.status, paths: paths(r) }).toEqual({ stageTimeLimit, status: 400, paths: ['body.stageTimeLimit'] });
      }
      expect((await set({ publicityPeriod: 'P60D', stageTimeLimit: 'P180D' })).status).toBe(200);
      const ok = await set({ publicityPeriod: 'P1D', stageTimeLimit: 'PT24H' });
      expect(ok.body).toMatchObject({ publicityPeriod: 'P1D', stageTimeLimit: 'PT24H' });

      const c = await newCase(YANGLIU, 'village-yangliu');
      const r = await api.call('POST', `/cases/${c.caseId}/decisions`, {
        as: 'village-yangliu',
        body: { stage: 'village_evaluation', decision: 'approve', votes },
      });
      expect(r.status).toBe(200);
      expect(Date.parse(r.body.publicity.endsAt) - Date.parse(r.body.deadlines.stageEnteredAt)).toBe(86_400_000);
      await api.db.pool.query('DELETE FROM jurisdiction_settings');
    });
  });

  describe('money: only integer literals are fen', () => {
    let fundId: string;
    beforeAll(async () => {
      const f = await api.call('POST', '/funds', { as: 'fund-manager', body: { name: 'Literal fund', jurisdiction: '522701', account: '62284800000000772' } });
      fundId = f.body.fundId;
    });
    const deposit = (amountLiteral: string) =>
      api.call('POST', `/funds/${fundId}/deposits`, {
        as: 'fund-manager',
        raw: `{"amountFen":${amountLiteral},"source":"budget","reference":"budget 2026"}`,
      });

    it.each(['1.0', '100.00', '1e3', '1E3', '1.5e2', '"100"', '-0.0'])('refuses amountFen %s with a 400 naming body.amountFen', async (literal) => {
      const r = await deposit(literal);
      expect(r.status).toBe(400);
      expect(paths(r)).toEqual(['body.amountFen']);
    });

    it('takes an integer literal, and nothing above was booked', async () => {
      expect((await deposit('100')).status).toBe(201);
      expect((await api.call('GET', `/funds/${fundId}`, { as: 'auditor' })).body.balances.depositedFen).toBe(100);
    });

    it('is not bypassed by a charset the scan cannot read: UTF-32 JSON is 415', async () => {
      const json = `{"amountFen":1.0,"source":"budget","reference":"budget 2026"}`;
      const utf32 = Buffer.alloc(4 * (json.length + 1));
      utf32.writeUInt32BE(0xfeff, 0);
      for (let i = 0; i < json.length; i++) utf32.writeUInt32BE(json.charCodeAt(i), 4 * (i + 1));
      const r = await contractFetch(`${api.baseUrl}/funds/${fundId}/deposits`, {
        method: 'POST',
        body: utf32,
        headers: { authorization: `Bearer ${api.tokens['fund-manager']}`, 'content-type': 'application/json; charset=utf-32' },
      });
      expect(r.status).toBe(415);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    });

    it('refuses a fractional or exponent literal in every *Fen field: household income, receipts, intake rows', async () => {
      const h = JSON.stringify({ village: SHIBAN, household: { ...householdInput(), annualIncomeFen: 0 } }).replace(
        '"annualIncomeFen":0',
        '"annualIncomeFen":2.1e5',
      );
      const apply = await api.call('POST', '/applications', { as: 'village-shiban', raw: h });
      expect(apply.status).toBe(400);
      expect(paths(apply)).toEqual(['body.household.annualIncomeFen']);

      const receipt =
        `{"fundId":"${fundId}","payee":{"type":"supplier","supplierId":"county-hospital","householdId":"hh_000000000000000000000000",` +
        '"receipt":{"number":"R-1","amountFen":500.0,"issuedAt":"2026-01-02T03:04:05Z"}},"purpose":"one_time_relief","amountFen":500}';
      const disbursement = await api.call('POST', '/disbursements', { as: 'fund-manager', raw: receipt });
      expect(disbursement.status).toBe(400);
      expect(paths(disbursement)).toEqual(['body.payee.receipt.amountFen']);

      const rows = JSON.stringify([{ ...householdInput(), annualIncomeFen: 0 }, householdInput()]).replace('"annualIncomeFen":0', '"annualIncomeFen":1.0');
      const json = await api.call('POST', '/intake/batches', { as: 'village-shiban', raw: `{"village":"${SHIBAN}","rows":${rows}}` });
      expect(json.status).toBe(202);
      expect(json.body.rejected).toEqual([{ line: 1, errors: [expect.objectContaining({ path: 'annualIncomeFen' })] }]);

      const head = householdInput().members[0];
      const line = ['Sun Qiang', head.idNumber, head.age, head.ableToWork, head.health, '150000.00', 'C', 'illness', 'roof repair'].join(',');
      const csv = await api.call('POST', `/intake/batches?village=${SHIBAN}`, {
        as: 'village-shiban',
        raw: `${CSV_HEADER}\n${line}\n`,
        headers: { 'content-type': 'text/csv' },
      });
      expect(csv.status).toBe(202);
      expect(csv.body.rejected).toEqual([{ line: 2, errors: [expect.objectContaining({ path: 'annual_income_fen' })] }]);
    });
  });
});
