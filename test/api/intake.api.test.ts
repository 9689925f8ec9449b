import { intakeBatchId } from '../../src/api/intake/intake.service';
import type { HouseholdInput } from '../../src/domain/household';
import { canonicalJson } from '../../src/store/canonical-json';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';
import { RESIDENT_ID_MESSAGES } from '../../src/domain/resident-id';

const SHIBAN = '522701101201';
const BAIYUN = '522701102201';
const CSV_HEADER =
  'head_name,head_id_number,head_age,head_able_to_work,head_health,members,annual_income_fen,housing_grade,primary_cause,secondary_causes,requested_help,bank,account_number';

const household = (overrides: Partial<HouseholdInput> = {}): HouseholdInput => householdInput(overrides);

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
function csvLine(h: HouseholdInput): string {
  const [head, ...others] = h.members;
  const members = others.map((m) => [m.name, m.relation, m.idNumber, m.age, m.ableToWork, m.health].join('|')).join(';');
  return [
    quote(head.name),
    head.idNumber,
    head.age,
    head.ableToWork,
    head.health,
    quote(members),
    h.annualIncomeFen,
    h.housingGrade,
    h.primaryCause,
    h.secondaryCauses.join(';'),
    quote(h.requestedHelp),
    h.bankAccount?.bank ?? '',
    h.bankAccount?.accountNumber ?? '',
  ].join(',');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bulk intake (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api?.close());

  const count = async (sql: string, params: unknown[] = []) => (await api.db.pool.query(sql, params)).rows[0].n as number;
  const postCsv = (text: string, village = SHIBAN, as = 'village-shiban') =>
    api.call('POST', `/intake/batches?village=${village}`, { as, raw: text, headers: { 'content-type': 'text/csv; charset=utf-8' } });

  async function untilDone(batchId: string, as = 'village-shiban') {
    for (let i = 0; i < 240; i++) {
      const r = await api.call('GET', `/intake/batches/${batchId}`, { as });
      expect(r.status).toBe(200);
      if (r.body.status === 'done') return r.body;
      await sleep(250);
    }
    throw new Error(`batch ${batchId} did not finish`);
  }

  async function expectCasesAtVillageEvaluation(accepted: { caseId: string }[], village = SHIBAN) {
    for (const { caseId } of accepted) {
      const c = await api.call('GET', `/cases/${caseId}`, { as: 'county-office' });
      expect(c.status).toBe(200);
      expect(c.body).toMatchObject({ caseId, stage: 'village_evaluation', status: 'open', location: { village } });
    }
  }

  it('JSON: each row is validated on its own; bad rows are reported by line and field, good ones become cases', async () => {
    const rows: unknown[] = Array.from({ length: 6 }, () => household());
    const badId = household();
    (badId.members[0] as { idNumber: string }).idNumber = '123';
    rows[1] = badId;
    rows[4] = { ...household(), housingGrade: 'Z', annualIncomeFen: -5 };
    const idNumbers = new RegExp(
      (rows as HouseholdInput[])
        .flatMap((h) => h.members.map((m) => m.idNumber))
        .filter((id) => id.length === 18)
        .join('|'),
    );

    const r = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows } });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ batchId: expect.stringMatching(/^batch-[0-9a-f]{32}$/), village: SHIBAN, format: 'json', total: 6 });
    expect(r.body.rejected).toEqual([
      { line: 2, errors: [{ path: 'members.0.idNumber', message: RESIDENT_ID_MESSAGES.format }] },
      {
        line: 5,
        errors: [
          { path: 'annualIncomeFen', message: expect.any(String) },
          { path: 'housingGrade', message: expect.any(String) },
        ],
      },
    ]);

    const done = await untilDone(r.body.batchId);
    expect(done).toMatchObject({ status: 'done', total: 6, processed: 6, finishedAt: expect.any(String) });
    expect(done.accepted.map((a: { line: number }) => a.line)).toEqual([1, 3, 4, 6]);
    expect(done.rejected).toEqual(r.body.rejected);
    await expectCasesAtVillageEvaluation(done.accepted);
    expect(
      await count(`SELECT count(*)::int AS n FROM cases WHERE applicant_id = 'on-behalf:village-shiban' AND case_id = ANY($1)`, [
        done.accepted.map((a: { caseId: string }) => a.caseId),
      ]),
    ).toBe(4);
    expect(JSON.stringify(done)).not.toMatch(idNumbers);
    // Once settled, rows keep no ID numbers.
    expect(await count(`SELECT count(*)::int AS n FROM intake_rows WHERE batch_id = $1 AND household IS NOT NULL`, [r.body.batchId])).toBe(0);
  });

  it('CSV: quoted fields (commas, quotes, line breaks) are read; errors carry the file line and the column', async () => {
    const first = household({ requestedHelp: 'a cow, "good" seed\nand school fees' });
    (first.members[0] as { name: string }).name = 'Zhang, San';
    const bad = household();
    (bad.members[0] as { idNumber: string }).idNumber = '52270119700101ABCD';
    const last = household({ bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: '6228480012345678' } });
    // line 1 header; lines 2-3 the first household (a line break inside quotes); line 4 the bad one; line 5 the last.
    const text = [CSV_HEADER, csvLine(first), csvLine(bad), csvLine(last)].join('\r\n');

    const r = await postCsv(text);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ format: 'csv', total: 3 });
    expect(r.body.rejected).toEqual([{ line: 4, errors: [{ path: 'head_id_number', message: RESIDENT_ID_MESSAGES.format }] }]);

    const done = await untilDone(r.body.batchId);
    expect(done.accepted.map((a: { line: number }) => a.line)).toEqual([2, 5]);
    await expectCasesAtVillageEvaluation(done.accepted);
    const c = await api.call('GET', `/cases/${done.accepted[0].caseId}`, { as: 'village-shiban' });
    expect(c.body.household.members[0]).toMatchObject({ name: 'Zhang, San', relation: 'head' });
    expect(c.body.household.members[1]).toMatchObject({ name: first.members[1].name, relation: 'spouse' });
    expect(c.body.household.requestedHelp).toBe('a cow, "good" seed\nand school fees');

    // The same file again: the same batch, nothing new.
    const casesBefore = await count('SELECT count(*)::int AS n FROM cases');
    const batchesBefore = await count('SELECT count(*)::int AS n FROM intake_batches');
    const again = await postCsv(text);
    expect(again.status).toBe(202);
    expect(again.body.batchId).toBe(r.body.batchId);
    expect(again.body).toMatchObject({ status: 'done', accepted: done.accepted, rejected: done.rejected });
    await sleep(500);
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(casesBefore);
    expect(await count('SELECT count(*)::int AS n FROM intake_batches')).toBe(batchesBefore);
  });

  it('a row whose household already has a case, or repeats a household of the same file, is refused; the others go on', async () => {
    const existing = household();
    const single = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: existing } });
    expect(single.status).toBe(201);
    const twice = household();
    const rows = [household(), existing, twice, twice];

    const r = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows } });
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([
      {
        line: 4,
        errors: [
          { path: 'members.0.idNumber', message: "同一户（户主身份证号）已在第 3 行 (the same household (head's ID number) is already on line 3)" },
          { path: 'members.1.idNumber', message: '此人已在第 3 行登记，一人只能属于一户 (this person is already on line 3: one person, one household)' },
        ],
      },
    ]);
    const done = await untilDone(r.body.batchId);
    expect(done.accepted.map((a: { line: number }) => a.line)).toEqual([1, 3]);
    expect(done.rejected).toEqual([
      { line: 2, errors: [{ path: 'household', message: expect.stringMatching(/household is already/) }] },
      { line: 4, errors: [expect.objectContaining({ path: 'members.0.idNumber' }), expect.objectContaining({ path: 'members.1.idNumber' })] },
    ]);
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE household_id = $1', [single.body.case.householdId])).toBe(1);
  });

  it('officials above the village may follow a batch; another village may not; unknown ids are 404', async () => {
    const r = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows: [household()] } });
    expect(r.status).toBe(202);
    const path = `/intake/batches/${r.body.batchId}`;
    expect((await api.call('GET', path, { as: 'town-heping' })).status).toBe(200);
    expect((await api.call('GET', path, { as: 'county-office' })).status).toBe(200);
    expect((await api.call('GET', path, { as: 'village-baiyun' })).status).toBe(403);
    expect((await api.call('GET', path, { as: 'town-dongfeng' })).status).toBe(403);
    expect((await api.call('GET', path, { as: 'applicant-shiban-1' })).status).toBe(403);
    expect((await api.call('GET', `/intake/batches/batch-${'0'.repeat(32)}`, { as: 'town-heping' })).status).toBe(404);
    expect((await api.call('GET', '/intake/batches/nope', { as: 'town-heping' })).status).toBe(400);
    await untilDone(r.body.batchId);
  });

  it("refuses a village outside the uploader's jurisdiction (403), other roles, bad bodies and media types, storing nothing", async () => {
    const before = await count('SELECT count(*)::int AS n FROM intake_batches');
    const outside = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: BAIYUN, rows: [household()] } });
    expect(outside.status).toBe(403);
    expect((await postCsv(`${CSV_HEADER}\r\n${csvLine(household())}`, BAIYUN)).status).toBe(403);
    expect((await api.call('POST', '/intake/batches', { as: 'town-heping', body: { village: SHIBAN, rows: [household()] } })).status).toBe(403);

    const empty = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('body.rows');
    const noVillage = await api.call('POST', '/intake/batches', {
      as: 'village-shiban',
      raw: `${CSV_HEADER}\r\n${csvLine(household())}`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(noVillage.status).toBe(400);
    expect(noVillage.body.errors[0].path).toBe('query.village');
    const badHeader = await postCsv(`name,age\r\nx,1`);
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.errors).toEqual(expect.arrayContaining([{ path: 'body.header.name', message: 'unknown column "name"' }]));
    const broken = await postCsv(`${CSV_HEADER}\r\n"unclosed`);
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/line 2/);
    const plain = await api.call('POST', '/intake/batches', { as: 'village-shiban', raw: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(await count('SELECT count(*)::int AS n FROM intake_batches')).toBe(before);
  });

  it('the documented examples (JSON and CSV) are accepted as-is', async () => {
    const doc = await api.call('GET', '/openapi.json');
    const content = doc.body.paths['/intake/batches'].post.requestBody.content;
    const json = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: content['application/json'].example });
    expect(json.status).toBe(202);
    expect(json.body.rejected).toEqual([]);
    expect((await untilDone(json.body.batchId)).accepted).toHaveLength(2);
    const csv = await postCsv(content['text/csv'].example);
    expect(csv.status).toBe(202);
    expect(csv.body.rejected).toEqual([]);
    expect((await untilDone(csv.body.batchId)).accepted).toHaveLength(2);
  });

  it('an Idempotency-Key retry of an upload gets the first answer', async () => {
    const body = { village: SHIBAN, rows: [household(), household()] };
    const headers = { 'idempotency-key': 'intake-retry-1' };
    const first = await api.call('POST', '/intake/batches', { as: 'village-shiban', body, headers });
    const again = await api.call('POST', '/intake/batches', { as: 'village-shiban', body, headers });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.batchId).toBe(first.body.batchId);
    expect((await untilDone(first.body.batchId)).accepted).toHaveLength(2);
  });

  it('a batch waits while no worker runs, then goes on; a row whose case had already started gets that case, not a second one', async () => {
    // Row 2's case already started (through the same path, with the same key) before its row
    // was settled, as when a worker dies between the two.
    const rows = [household(), household()];
    const batchId = intakeBatchId('village-shiban', SHIBAN, 'json', canonicalJson(rows));
    const started = await api.call('POST', '/applications', {
      as: 'village-shiban',
      body: { village: SHIBAN, household: rows[1] },
      headers: { 'idempotency-key': `intake:${batchId}:2` },
    });
    expect(started.status).toBe(201);

    await api.stopWorker();
    try {
      const r = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows } });
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ batchId, status: 'processing', processed: 0, accepted: [], rejected: [] });
      await sleep(1000);
      expect((await api.call('GET', `/intake/batches/${batchId}`, { as: 'village-shiban' })).body).toMatchObject({ status: 'processing', processed: 0 });
    } finally {
      await api.startWorker();
    }
    const done = await untilDone(batchId);
    expect(done.accepted).toEqual([
      { line: 1, caseId: expect.stringMatching(/^case-/) },
      { line: 2, caseId: started.body.caseId },
    ]);
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE household_id = $1', [started.body.case.householdId])).toBe(1);
    await expectCasesAtVillageEvaluation(done.accepted);
  });
});
