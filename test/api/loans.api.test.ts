import { createHash, randomUUID } from 'node:crypto';
import { DEMO_USERS } from '../../src/directory/demo-directory';
import { contains } from '../../src/domain/jurisdiction';
import { OFFICIAL_ROLES } from '../../src/domain/roles';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';
import { householdInput } from '../support/fixtures';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const AGREEMENT = '借款协议：每户借款一千一百元，用于购买一头牛。\nLoan agreement: 1,100 yuan for one head of cattle.';
const SEED_PLAN = [
  { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 0 } },
  { shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 1 } },
];
const today = () => new Date().toISOString().slice(0, 10);
/** Ids follow from Idempotency-Keys, and the Temporal dev server outlives each run's database: keys unique to the run. */
const run = randomUUID();

/**
 * Revolving loans through the HTTP API on real Postgres and the real Temporal dev server: a
 * scheme on a funded pool, a batch with its refusals, publicity with an objection, signatures,
 * the payouts approved through /disbursements, then repayments, receipts, the CSV, a write-off
 * and the overdue list.
 */
describe('revolving loans (issue #10)', () => {
  let api: ApiHarness;
  let fundId: string;
  let schemeId: string;
  let batchId: string;
  let own: string; // applied through applicant-shiban-1's own account
  let other: string; // applied by the village official on the household's behalf
  let third: string;
  let applying: string; // not enrolled
  const loans: Record<string, string> = {};

  const batchOf = async () => (await api.call('GET', `/loan-schemes/${schemeId}/batches/${batchId}`, { as: 'county-office' })).body;
  /** The caller's open tasks (the harness checks the answer against the document). */
  const inbox = async (as: string): Promise<{ subjectKind: string; stage: string }[]> => (await api.call('GET', '/tasks?limit=100', { as })).body.items;

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT4S', STAGE_TIME_LIMIT: 'PT90S' });
    [own, other, third] = await Promise.all([
      enrolHousehold(api, '6228480011113331', {}, 'applicant-shiban-1'),
      enrolHousehold(api, '6228480011113332'),
      enrolHousehold(api, '6228480011113333'),
    ]);
    const pending = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    applying = pending.body.case.householdId;
    const f = await api.call('POST', '/funds', { as: 'fund-manager', body: { name: 'Cattle pool', jurisdiction: '522701', account: '6228480000005555' } });
    fundId = f.body.fundId;
    await api.call('POST', `/funds/${fundId}/deposits`, {
      as: 'fund-manager',
      body: { amountFen: 250_000, source: 'donation', reference: 'staff donations 2026' },
    });
  }, 180_000);
  afterAll(() => api?.close());

  it('creates a scheme on the pool; the server pins the agreement hash as version 1', async () => {
    const body = {
      name: 'Cattle loans',
      fundId,
      amountFen: 110_000,
      instalments: SEED_PLAN,
      graceDays: 15,
      eligibleVillages: [SHIBAN],
      writeOffBarYears: 3,
      inKindAllowed: true,
      agreementText: AGREEMENT,
    };
    const r = await api.call('POST', '/loan-schemes', { as: 'county-office', body, headers: { 'idempotency-key': `scheme-1-${run}` } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ fundId, county: '522701', termsVersion: 1, terms: { amountFen: 110_000, agreement: { version: 1 } } });
    expect(r.body.terms.agreement.hash).toBe(createHash('sha256').update(AGREEMENT).digest('hex'));
    schemeId = r.body.schemeId;
    const again = await api.call('POST', '/loan-schemes', {
      as: 'county-office',
      body: { ...body, name: 'Another' },
      headers: { 'idempotency-key': `scheme-2-${run}` },
    });
    expect(again).toMatchObject({ status: 409, body: { errors: [{ path: 'body.fundId' }] } });
    const list = await api.call('GET', '/loan-schemes', { as: 'supervisor' });
    expect(list.body.items.map((s: { schemeId: string }) => s.schemeId)).toContain(schemeId);
  });

  it('refuses a batch naming each ineligible household and why', async () => {
    const r = await api.call('POST', `/loan-schemes/${schemeId}/batches`, { as: 'county-office', body: { householdIds: [own, other, own, applying] } });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.errors).toEqual([
      { path: 'body.householdIds[2]', message: expect.stringMatching(/more than once/) },
      { path: 'body.householdIds[3]', message: expect.stringMatching(/not enrolled/) },
    ]);
  });

  it('refuses a batch larger than the cash, naming what is available, needed and how many it can take', async () => {
    const r = await api.call('POST', `/loan-schemes/${schemeId}/batches`, { as: 'county-office', body: { householdIds: [own, other, third] } });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ availableFen: 250_000, neededFen: 330_000, maxHouseholds: 2, errors: [{ path: 'body.householdIds' }] });
  });

  it('proposes a batch the cash covers: publicised, with an objection resolved', async () => {
    const headers = { 'idempotency-key': `batch-1-${run}` };
    const r = await api.call('POST', `/loan-schemes/${schemeId}/batches`, { as: 'county-office', body: { householdIds: [own, other] }, headers });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ schemeId, cycle: 1, status: 'publicity', households: [{ householdId: own }, { householdId: other }] });
    batchId = r.body.batchId;
    const replay = await api.call('POST', `/loan-schemes/${schemeId}/batches`, { as: 'county-office', body: { householdIds: [own, other] }, headers });
    expect(replay.body.batchId).toBe(batchId);
    const objection = await api.call('POST', `/loan-schemes/${schemeId}/batches/${batchId}/objections`, {
      as: 'applicant-baiyun-1',
      body: { householdId: other, reason: 'they already keep cattle' },
    });
    expect(objection.status).toBe(201);
    const objectionId = objection.body.objectionId;
    expect(objection.body.objections).toEqual([{ objectionId, householdId: other, resolved: false }]);
    const resolved = await api.call('POST', `/loan-schemes/${schemeId}/batches/${batchId}/objections/${objectionId}/resolution`, {
      as: 'town-heping',
      body: { substantiated: false, finding: 'checked on site: no cattle' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.objections).toEqual([{ objectionId, householdId: other, resolved: true, substantiated: false }]);
  });

  it('takes signatures in person from the household itself and attested by the village official', async () => {
    await waitFor(async () => (await batchOf()).status === 'signing', 30_000);
    // A loan official's inbox: the village's signatures the batch waits for.
    await waitFor(async () => (await inbox('village-shiban')).some((t) => t.subjectKind === 'loan-batch' && t.stage === 'batch_signatures'));
    const batch = await batchOf();
    const sign = (as: string, body: Record<string, unknown>) => api.call('POST', `/loan-schemes/${schemeId}/batches/${batchId}/signatures`, { as, body });
    expect((await sign('applicant-shiban-1', { householdId: other, method: 'in_person' })).status).toBe(403);
    const mine = await sign('applicant-shiban-1', { householdId: own, method: 'in_person', agreementHash: batch.agreement.hash });
    expect(mine.status).toBe(200);
    const paper = await sign('village-shiban', { householdId: other, method: 'attested', scanHash: 'ab'.repeat(32) });
    expect(paper.status).toBe(200);
    expect(paper.body.households.map((h: { status: string }) => h.status)).toEqual(['signed', 'signed']);
  });

  it('pays every loan through a disbursement approved at /disbursements', async () => {
    await waitFor(async () => (await batchOf()).households.every((h: { loanId?: string }) => h.loanId), 30_000);
    for (const h of (await batchOf()).households) loans[h.householdId] = h.loanId;
    for (const loanId of Object.values(loans)) {
      const disbursementId = `disb-${loanId}`;
      await waitFor(
        async () => (await api.call('GET', `/disbursements/${disbursementId}`, { as: 'fund-manager' })).body.status === 'awaiting_approval',
        30_000,
      );
      const approved = await api.call('POST', `/disbursements/${disbursementId}/decisions`, { as: 'town-heping', body: { decision: 'approve' } });
      expect(approved.status).toBe(200);
    }
    await waitFor(async () => (await batchOf()).status === 'completed', 60_000);
    await waitFor(async () => (await api.call('GET', `/loans/${loans[own]}`, { as: 'village-shiban' })).body.status === 'active', 30_000);
    await waitFor(async () => (await api.call('GET', `/loans/${loans[other]}`, { as: 'village-shiban' })).body.status === 'active', 30_000);
  });

  it('shows a loan to its own household and to officials of its jurisdiction only', async () => {
    const mine = await api.call('GET', `/loans/${loans[own]}`, { as: 'applicant-shiban-1' });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ householdId: own, principalFen: 110_000, outstandingFen: 110_000, bucket: 'current', daysPastDue: 0 });
    expect(mine.body.schedule.map((s: { amountFen: number }) => s.amountFen)).toEqual([55_000, 55_000]);
    expect((await api.call('GET', `/loans/${loans[other]}`, { as: 'applicant-shiban-1' })).status).toBe(403);
    expect((await api.call('GET', `/loans/${loans[own]}`, { as: 'village-yangliu' })).status).toBe(403);
    const list = await api.call('GET', '/loans', { as: 'applicant-shiban-1' });
    expect(list.body.items.map((l: { loanId: string }) => l.loanId)).toEqual([loans[own]]);
    const village = await api.call('GET', `/loans?scheme=${schemeId}`, { as: 'village-shiban' });
    expect(village.body.items).toHaveLength(2);
    expect((await api.call('GET', '/loans', { as: 'village-yangliu' })).body.items).toEqual([]);
  });

  it('pages the loans of a jurisdiction', async () => {
    const first = await api.call('GET', `/loans?scheme=${schemeId}&limit=1`, { as: 'town-heping' });
    expect(first.body.items).toHaveLength(1);
    const second = await api.call('GET', `/loans?scheme=${schemeId}&limit=1&cursor=${first.body.nextCursor}`, { as: 'town-heping' });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].loanId > first.body.items[0].loanId).toBe(true);
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers every demo user by the rule: its household, and officials whose jurisdiction holds the village', async () => {
    const answers = await Promise.all(
      DEMO_USERS.map(async (u) => ({ user: u.userId, status: (await api.call('GET', `/loans/${loans[own]}`, { as: u.userId })).status })),
    );
    const allowed = (u: (typeof DEMO_USERS)[number]) =>
      u.userId === 'applicant-shiban-1' || (OFFICIAL_ROLES.includes(u.role) && contains(u.jurisdiction, SHIBAN));
    expect(answers).toEqual(DEMO_USERS.map((u) => ({ user: u.userId, status: allowed(u) ? 200 : 403 })));
    // Each refusal is recorded, as every 403 is.
    const denials = (await api.call('GET', '/audit/denials?limit=100', { as: 'auditor' })).body.items;
    expect(denials).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: 'village-yangliu', method: 'GET', path: `/loans/${loans[own]}`, reason: expect.stringMatching(/jurisdiction/) }),
      ]),
    );
  });

  let repaymentId: string;
  let raced: string;
  it('records a partial repayment once however often it is sent, and refuses more than is owed naming it', async () => {
    const body = { amountFen: 55_000, method: 'cash', reference: 'SB-2026-0001', receivedOn: today() };
    const headers = { 'idempotency-key': `repay-1-${run}` };
    const r = await api.call('POST', `/loans/${loans[own]}/repayments`, { as: 'village-shiban', body, headers });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ repaidFen: 55_000, outstandingFen: 55_000 });
    repaymentId = r.body.repaymentId;
    const again = await api.call('POST', `/loans/${loans[own]}/repayments`, { as: 'village-shiban', body, headers });
    expect(again.body).toMatchObject({ repaymentId, outstandingFen: 55_000 });
    const over = await api.call('POST', `/loans/${loans[own]}/repayments`, {
      as: 'village-shiban',
      body: { ...body, amountFen: 60_000, reference: 'SB-2026-0002' },
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ outstandingFen: 55_000, errors: [{ path: 'body.amountFen' }] });
    expect(over.body.detail).toMatch(/55000 fen \(550\.00 yuan\)/);
    // Two officials record at once: both may pass the API's check, the loan's decider takes one and refuses the other naming what is left.
    const race = await Promise.all(
      ['SB-2026-0101', 'SB-2026-0102'].map((reference) =>
        api.call('POST', `/loans/${loans[own]}/repayments`, { as: 'village-shiban', body: { ...body, amountFen: 30_000, reference } }),
      ),
    );
    expect(race.map((x) => x.status).sort()).toEqual([201, 409]);
    expect(race.find((x) => x.status === 409)?.body).toMatchObject({ outstandingFen: 25_000, errors: [{ path: 'body.amountFen' }] });
    raced = race.find((x) => x.status === 201)?.body.repaymentId;
    const unknown = await api.call('POST', `/loans/loan-00000000-0000-4000-8000-000000000000-1/repayments`, { as: 'village-shiban', body });
    expect(unknown.status).toBe(404);
    expect((await api.call('POST', `/loans/${loans[own]}/repayments`, { as: 'village-yangliu', body })).status).toBe(403);
  });

  it('prints a receipt: Chinese first, the household masked', async () => {
    const loan = await api.call('GET', `/loans/${loans[own]}`, { as: 'applicant-shiban-1' });
    const { receipt } = loan.body.repayments.find((x: { repaymentId: string }) => x.repaymentId === repaymentId);
    const r = await api.call('GET', receipt, { as: 'applicant-shiban-1' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const html = r.body as string;
    expect(html.indexOf('还款收据')).toBeLessThan(html.indexOf('Repayment receipt'));
    expect(html).toContain('¥550.00');
    expect(html).toContain('SB-2026-0001');
    expect(html).toContain('Z********');
    expect(html).not.toContain('Zhang San');
  });

  it('exports every repayment as CSV that Excel opens: a BOM, Chinese headers first, yuan from fen', async () => {
    // The bytes as a spreadsheet gets them (fetch's text() would drop the BOM).
    const r = await contractFetch(`${api.baseUrl}/loan-schemes/${schemeId}/repayments.csv`, {
      headers: { authorization: `Bearer ${api.tokens['county-office']}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = bytes.subarray(3).toString('utf8').split('\r\n');
    const row = rows.find((r) => r.startsWith(repaymentId)) ?? '';
    expect(header.startsWith('还款编号 repayment_id,')).toBe(true);
    expect(row.split(',')).toEqual(expect.arrayContaining([repaymentId, loans[own], '55000', '550.00']));
  });

  it('writes a loan off with two county officials; one deciding twice is 409', async () => {
    const reported = await api.call('POST', `/loans/${loans[other]}/hardship`, {
      as: 'village-shiban',
      body: { cause: 'animal_died', evidenceHash: 'cd'.repeat(32), proposal: 'write_off', note: 'the cow died; veterinary certificate' },
    });
    expect(reported.status).toBe(201);
    const { hardshipId } = reported.body;
    // Issue #13: a supervisor gives the county's write-off task to a named official, recorded on the loan.
    const tasks = (await api.call('GET', '/tasks?limit=100', { as: 'county-office' })).body.items as {
      taskId: string;
      subjectKind: string;
      subjectId: string;
    }[];
    const task = tasks.find((t) => t.subjectKind === 'loan' && t.subjectId === `${loans[other]}/hardship:${hardshipId}`);
    const reassign = (as: string, toUserId: string) =>
      api.call('POST', `/tasks/${task?.taskId}/reassign`, {
        as,
        headers: { 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` },
        body: { toUserId, reason: '分管领导出差 / away' },
      });
    expect((await reassign('village-shiban', 'county-office-2')).status).toBe(403);
    expect((await reassign('supervisor', 'town-heping')).status).toBe(422); // not a county official
    const given = await reassign('supervisor', 'county-office-2');
    expect([given.status, given.body.holder]).toEqual([200, 'county-office-2']);
    const recorded = await api.db.pool.query("SELECT data FROM events WHERE stream_id = $1 AND type = 'LoanTaskReassigned'", [loans[other]]);
    expect(recorded.rows.map((r) => r.data)).toEqual([
      { taskId: task?.taskId, from: null, to: 'county-office-2', reason: '分管领导出差 / away', by: 'supervisor' },
    ]);
    // A loan's task ids carry the loan's number too: claimed and released like any other.
    expect((await api.call('POST', `/tasks/${task?.taskId}/release`, { as: 'county-office-2' })).status).toBe(200);
    expect((await api.call('POST', `/tasks/${task?.taskId}/claim`, { as: 'county-office' })).status).toBe(200);
    const decide = (as: string) =>
      api.call('POST', `/loans/${loans[other]}/hardship/${hardshipId}/decision`, { as, body: { approve: true, reason: 'certificate checked' } });
    expect((await decide('county-office')).status).toBe(200);
    const twice = await decide('county-office');
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const second = await decide('county-office-2');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'written_off', writtenOffFen: 110_000, outstandingFen: 0 });
    const closed = await api.call('POST', `/loans/${loans[other]}/repayments`, {
      as: 'village-shiban',
      body: { amountFen: 100, method: 'cash', reference: 'SB-2026-0003', receivedOn: today() },
    });
    expect(closed.status).toBe(409);
  });

  it("shows the scheme's figures and the pool's books", async () => {
    const r = await api.call('GET', `/loan-schemes/${schemeId}`, { as: 'supervisor' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemeId, cycles: 1, householdsServed: 2, principalLentFen: 220_000, recoveredFen: { totalFen: 85_000 } });
    const b = r.body.books;
    expect(b).toMatchObject({ contributionsFen: 250_000, lentFen: 220_000, recoveredCashFen: 85_000, receivableFen: 25_000, writtenOffFen: 110_000 });
    expect(b.cashFen + b.receivableFen + b.inKindFen + b.writtenOffFen + b.otherPayoutsFen).toBe(b.contributionsFen);
  });

  it('lists overdue loans by village and bucket for supervisors', async () => {
    // Forty days late, as the read model would hold it after a missed instalment.
    await api.db.pool.query(`UPDATE loans SET earliest_unpaid_due = current_date - 40, grace_days = 0 WHERE loan_id = $1`, [loans[own]]);
    const r = await api.call('GET', '/supervision/overdue-loans', { as: 'supervisor' });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([{ village: SHIBAN, villageName: expect.any(String), bucket: '31-60', loans: 1, outstandingFen: 25_000 }]);
    const late = await api.call('GET', '/loans?bucket=31-60', { as: 'village-shiban' });
    expect(late.body.items.map((l: { loanId: string }) => l.loanId)).toEqual([loans[own]]);
    expect((await api.call('GET', '/supervision/overdue-loans', { as: 'village-shiban' })).status).toBe(403);
    expect((await api.call('GET', '/supervision/overdue-loans?jurisdiction=522702', { as: 'supervisor' })).status).toBe(403);
  });

  it('reverses a mistaken repayment by a correcting entry of a second official, and takes a calf valued by one official and confirmed by another', async () => {
    const reversal = `/loans/${loans[own]}/repayments/${repaymentId}/reversal`;
    const reversals = async () =>
      Number((await api.db.pool.query("SELECT count(*) FROM events WHERE stream_id = $1 AND type = 'RepaymentReversed'", [loans[own]])).rows[0].count);
    // Shiban's only village official recorded it: alone, it may not undo it.
    const byRecorder = await api.call('POST', reversal, { as: 'village-shiban', body: { reason: 'recorded twice' } });
    expect([byRecorder.status, byRecorder.body.detail]).toEqual([403, expect.stringContaining('a second official must reverse a repayment')]);
    expect(await reversals()).toBe(0);
    const reversed = await api.call('POST', reversal, { as: 'town-heping', body: { reason: 'recorded twice' } });
    expect(reversed.status).toBe(200);
    expect(reversed.body).toMatchObject({ repaidFen: 30_000, outstandingFen: 80_000 });
    expect(reversed.body.repayments).toEqual([
      expect.objectContaining({ repaymentId, reversed: { reason: 'recorded twice', reversedBy: 'town-heping' } }),
      expect.objectContaining({ repaymentId: raced, amountFen: 30_000 }),
    ]);
    const both = await api.call('POST', `/loans/${loans[own]}/repayments/${raced}/reversal`, { as: 'cashier', body: { reason: 'wrong loan' } });
    expect(both.body).toMatchObject({ repaidFen: 0, outstandingFen: 110_000 });
    const again = await api.call('POST', `/loans/${loans[own]}/repayments/${raced}/reversal`, { as: 'cashier', body: { reason: 'wrong loan' } });
    expect(again.status).toBe(409);
    const valued = await api.call('POST', `/loans/${loans[own]}/in-kind`, {
      as: 'village-shiban',
      body: { amountFen: 110_000, description: 'two heifer calves', receivedOn: today() },
    });
    expect(valued.status).toBe(201);
    expect(valued.body).toMatchObject({ outstandingFen: 110_000, pendingValuations: [{ valuationId: valued.body.valuationId, amountFen: 110_000 }] });
    const confirmation = `/loans/${loans[own]}/in-kind/${valued.body.valuationId}/confirmation`;
    // Shiban has one village official, the valuer: the confirmation reaches the town, and not the valuer.
    const subjectId = `${loans[own]}/in_kind:${valued.body.valuationId}`;
    const inbox = async (as: string) =>
      (await api.call('GET', '/tasks?limit=100', { as })).body.items.find((t: { subjectId: string }) => t.subjectId === subjectId);
    expect(await inbox('village-shiban')).toBeUndefined();
    const task = await inbox('town-heping');
    expect(task).toMatchObject({ stage: 'in_kind_confirmation', roles: ['village_official', 'town_official'], holder: null });
    expect(await inbox('town-heping-2')).toMatchObject({ taskId: task.taskId });
    expect(await inbox('town-dongfeng')).toBeUndefined();
    expect((await api.call('POST', `/tasks/${task.taskId}/claim`, { as: 'village-shiban' })).status).toBe(403);
    const reassign = (toUserId: string) =>
      api.call('POST', `/tasks/${task.taskId}/reassign`, {
        as: 'supervisor',
        headers: { 'idempotency-key': `reassign-${toUserId}-${run}` },
        body: { toUserId, reason: '村里只有一名干部 / one official in the village' },
      });
    const toValuer = await reassign('village-shiban');
    expect([toValuer.status, toValuer.body.errors?.[0]?.path]).toEqual([422, 'body.toUserId']);
    const toTown = await reassign('town-heping');
    expect([toTown.status, toTown.body.holder]).toEqual([200, 'town-heping']);
    expect((await api.call('POST', confirmation, { as: 'village-shiban', body: { confirm: true } })).status).toBe(403);
    const confirmed = await api.call('POST', confirmation, { as: 'town-heping', body: { confirm: true } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'repaid', outstandingFen: 0, repaidFen: 110_000 });
    const after = await api.call('POST', `/loans/${loans[own]}/repayments`, {
      as: 'village-shiban',
      body: { amountFen: 100, method: 'cash', reference: 'SB-2026-0009', receivedOn: today() },
    });
    expect(after.status).toBe(409);
  });

  it('revises the terms for new batches only, and funds a next batch only from cash: never from money owed or a calf', async () => {
    const revised = await api.call('POST', `/loan-schemes/${schemeId}/terms`, {
      as: 'county-office',
      body: {
        amountFen: 100_000,
        instalments: SEED_PLAN,
        graceDays: 30,
        eligibleVillages: [SHIBAN],
        inKindAllowed: true,
        agreementText: `${AGREEMENT}\n第二版 Second edition.`,
        reason: 'cattle prices fell',
      },
    });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ termsVersion: 2, terms: { amountFen: 100_000, agreement: { version: 2 } } });
    expect((await api.call('GET', `/loans/${loans[own]}`, { as: 'village-shiban' })).body).toMatchObject({ termsVersion: 1, principalFen: 110_000 });
    // 250,000 contributed, 220,000 lent; the cash repayments were reversed and the calf is no cash: 30,000 in the pool.
    const next = await api.call('POST', `/loan-schemes/${schemeId}/batches`, { as: 'county-office', body: { householdIds: [third] } });
    expect(next.status).toBe(422);
    expect(next.body).toMatchObject({ availableFen: 30_000, neededFen: 100_000, maxHouseholds: 0 });
  });

  it('never lets two batches proposed at once claim the same cash', async () => {
    await api.call('POST', `/funds/${fundId}/deposits`, { as: 'fund-manager', body: { amountFen: 100_000, source: 'donation', reference: 'second drive' } });
    // 130,000 in cash, loans of 100,000 now: one batch of one household, not two.
    const proposals = await Promise.all(
      [third, own].map((householdId) => api.call('POST', `/loan-schemes/${schemeId}/batches`, { as: 'county-office', body: { householdIds: [householdId] } })),
    );
    expect(proposals.map((p) => p.status).sort()).toEqual([201, 422]);
    expect(proposals.find((p) => p.status === 422)?.body).toMatchObject({ availableFen: 30_000, neededFen: 100_000, maxHouseholds: 0 });
    expect(proposals.find((p) => p.status === 201)?.body).toMatchObject({ cycle: 2, status: 'publicity' });
  });
});
