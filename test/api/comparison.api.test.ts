import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { temporal } from '@temporalio/proto';
import type { HouseholdInput } from '../../src/domain/household';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { XLSX_TYPE } from '../../src/api/contract/intake-schemas';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { householdInput, ID_KEY } from '../support/fixtures';
import { payloadsOf, rawClient } from '../support/raw-history';
import { testPayloadKeys } from '../support/temporal';

const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/** The fixtures' household: distinct, valid ID numbers (a list refuses any other). */
const validHousehold = (): HouseholdInput => householdInput();

/** The comparison step (比对) through the HTTP API, on the real dev server and Postgres. */
describe('comparison against reference lists', () => {
  let api: ApiHarness;
  const plainIds: string[] = [];
  const caseIds: string[] = [];
  const listIds: string[] = [];

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT2S', STAGE_TIME_LIMIT: 'P1D', ID_HASH_KEY: ID_KEY });
  });
  afterAll(() => api?.close());

  async function newCase(household = validHousehold()) {
    plainIds.push(...household.members.map((m) => m.idNumber));
    const r = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: '522701101201', household } });
    expect(r.status).toBe(201);
    caseIds.push(r.body.caseId);
    return { caseId: r.body.caseId as string, householdHash: r.body.case.householdHash as string, household };
  }
  const caseView = async (caseId: string) => (await api.call('GET', `/cases/${caseId}`, { as: 'county-office' })).body;
  async function toTownAudit(c: { caseId: string; householdHash: string }) {
    const r = await api.call('POST', `/cases/${c.caseId}/decisions`, {
      as: 'village-shiban',
      body: { stage: 'village_evaluation', decision: 'approve', votes, householdHash: c.householdHash },
    });
    expect(r.status).toBe(200);
    await waitFor(async () => (await caseView(c.caseId)).stage === 'town_audit', 30_000);
  }
  async function upload(query: string, body: Buffer | string, contentType: string, as = 'county-office') {
    const res = await fetch(`${api.baseUrl}/reference-lists?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens[as]}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  async function workbook(rows: string[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const townApprove = (caseId: string, householdHash: string) =>
    api.call('POST', `/cases/${caseId}/decisions`, { as: 'town-heping', body: { stage: 'town_audit', decision: 'approve', householdHash } });
  const listed = async (id: string) => (await api.call('GET', `/reference-lists/${id}`, { as: 'county-office' })).body;
  const counts = async () =>
    (await api.db.pool.query('SELECT (SELECT count(*) FROM reference_lists)::int AS lists, (SELECT count(*) FROM reference_list_entries)::int AS entries'))
      .rows[0];

  it('a CSV list (GB18030) raises a query on an open case at once; the town cannot pass it until it is cleared', async () => {
    const a = await newCase();
    const spouse = a.household.members[1];
    const csv = iconv.encode(
      `姓名,身份证号,死亡日期\r\n${spouse.name},${spouse.idNumber},2026-10-02\r\n无关人员,${validHousehold().members[0].idNumber},2026-10-03\r\n`,
      'gb18030',
    );
    const r = await upload('source=deaths&date=2026-11-30', csv, 'text/csv');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ source: 'deaths', sourceLabel: '死亡', listDate: '2026-11-30', entries: 2, county: '522701', format: 'csv' });
    listIds.push(r.body.listId);

    await waitFor(async () => (await listed(r.body.listId)).comparison !== null, 30_000);
    expect((await listed(r.body.listId)).comparison).toMatchObject({ hits: 1, casesCompared: expect.any(Number) });
    const view = await caseView(a.caseId);
    expect(view.queries).toEqual([
      {
        queryId: expect.stringMatching(/^q-[0-9a-f]{32}$/),
        source: 'deaths',
        sourceLabel: '死亡',
        listId: r.body.listId,
        listDate: '2026-11-30',
        member: { index: 1, name: spouse.name, idMasked: `${spouse.idNumber.slice(0, 4)}**********${spouse.idNumber.slice(-4)}` },
        status: 'open',
        reason: null,
      },
    ]);
    const queryId = view.queries[0].queryId as string;

    // The same file again is the same list: nothing new recorded, no second query.
    const again = await upload('source=deaths&date=2026-11-30', csv, 'text/csv');
    expect(again.body.listId).toBe(r.body.listId);
    expect((await caseView(a.caseId)).queries).toHaveLength(1);

    // The town's inbox has the query, the other town's does not.
    const task = (await api.call('GET', '/tasks?limit=100', { as: 'town-heping' })).body.items.find(
      (t: { subjectId: string }) => t.subjectId === `${a.caseId}/${queryId}`,
    );
    expect(task).toMatchObject({ subjectKind: 'query', kind: 'follow_up', stage: 'comparison_query', roles: ['town_official'], jurisdiction: '522701101' });
    const other = (await api.call('GET', '/tasks?limit=100', { as: 'town-dongfeng' })).body.items;
    expect(other.map((t: { subjectId: string }) => t.subjectId)).not.toContain(`${a.caseId}/${queryId}`);

    await toTownAudit(a);
    const refused = await townApprove(a.caseId, a.householdHash);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(queryId);
    expect(refused.body.detail).toMatch(/^比对疑点 .*（死亡）尚未处理/);

    const resolution = (as: string, body: unknown) => api.call('POST', `/cases/${a.caseId}/queries/${queryId}/resolution`, { as, body });
    expect((await resolution('town-dongfeng', { outcome: 'cleared', reason: '核实' })).status).toBe(403);
    expect((await resolution('village-shiban', { outcome: 'cleared', reason: '核实' })).status).toBe(403);
    const bad = await resolution('town-heping', { outcome: 'maybe', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.outcome', 'body.reason']);
    expect(
      (await api.call('POST', `/cases/${a.caseId}/queries/q-${'0'.repeat(32)}/resolution`, { as: 'town-heping', body: { outcome: 'cleared', reason: 'x' } }))
        .status,
    ).toBe(404);

    const cleared = await resolution('town-heping', { outcome: 'cleared', reason: '同名不同人，已核对户籍 (a namesake)' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.queries[0]).toMatchObject({ status: 'cleared', reason: '同名不同人，已核对户籍 (a namesake)' });
    expect((await resolution('town-heping', { outcome: 'cleared', reason: 'again' })).status).toBe(409);
    const inbox = (await api.call('GET', '/tasks?limit=100', { as: 'town-heping' })).body.items.map((t: { subjectId: string }) => t.subjectId);
    expect(inbox).not.toContain(`${a.caseId}/${queryId}`);

    const approved = await townApprove(a.caseId, a.householdHash);
    expect(approved.status).toBe(200);
    expect(approved.body.stage).toBe('town_publicity');

    // At county approval a new list hits the head: the county's list no longer shows the case, nor may it approve, until the town clears it.
    await waitFor(async () => (await caseView(a.caseId)).stage === 'county_approval', 30_000);
    const countyTasks = async () =>
      (await api.call('GET', '/tasks?limit=100', { as: 'county-office' })).body.items.map((t: { subjectId: string }) => t.subjectId);
    expect(await countyTasks()).toContain(a.caseId);
    const head = a.household.members[0];
    const employees = await upload('source=public_employees&date=2026-12-02', `身份证号\r\n${head.idNumber}\r\n`, 'text/csv');
    expect(employees.status).toBe(201);
    listIds.push(employees.body.listId);
    await waitFor(async () => (await caseView(a.caseId)).queries.length === 2, 30_000);
    const late = (await caseView(a.caseId)).queries[1];
    expect(late).toMatchObject({ source: 'public_employees', sourceLabel: '财政供养人员', member: { index: 0 }, status: 'open' });
    expect(await countyTasks()).not.toContain(a.caseId);
    const countyApprove = () =>
      api.call('POST', `/cases/${a.caseId}/decisions`, {
        as: 'county-office',
        body: { stage: 'county_approval', decision: 'approve', householdHash: a.householdHash },
      });
    expect((await countyApprove()).status).toBe(409);
    const clearLate = await api.call('POST', `/cases/${a.caseId}/queries/${late.queryId}/resolution`, {
      as: 'town-heping',
      body: { outcome: 'cleared', reason: '同名不同人 (a namesake)' },
    });
    expect(clearLate.status).toBe(200);
    expect(await countyTasks()).toContain(a.caseId);
    expect((await countyApprove()).body).toMatchObject({ status: 'enrolled' });
  }, 120_000);

  it('an .xlsx list imported before a household applies raises its query when the case reaches town audit; confirmed, the case ends rejected', async () => {
    const household = validHousehold();
    const head = household.members[0];
    const xlsx = await workbook([
      ['车主姓名', '公民身份号码', '号牌'],
      [head.name, head.idNumber, '贵H·12345'],
    ]);
    const r = await upload('source=vehicles&date=2026-12-01', xlsx, XLSX_TYPE);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ source: 'vehicles', sourceLabel: '车辆', entries: 1, format: 'xlsx' });
    listIds.push(r.body.listId);
    await waitFor(async () => (await listed(r.body.listId)).comparison !== null, 30_000);

    const b = await newCase(household);
    expect((await caseView(b.caseId)).queries).toEqual([]);
    await toTownAudit(b);
    const view = await caseView(b.caseId);
    expect(view.queries).toMatchObject([{ source: 'vehicles', sourceLabel: '车辆', listId: r.body.listId, member: { index: 0 }, status: 'open' }]);
    expect((await townApprove(b.caseId, b.householdHash)).status).toBe(409);

    const confirmed = await api.call('POST', `/cases/${b.caseId}/queries/${view.queries[0].queryId}/resolution`, {
      as: 'town-heping',
      body: { outcome: 'confirmed', reason: '户主名下有小轿车一辆，已核实' },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'rejected', stage: 'rejected', queries: [{ status: 'confirmed' }] });
    expect(confirmed.body.reason).toMatch(/^比对核实：车辆名单命中，不符合条件/);
    const types = (await api.call('GET', `/cases/${b.caseId}/events?limit=100`, { as: 'auditor' })).body.events.map((e: { type: string }) => e.type);
    expect(types.slice(-3)).toEqual(['ComparisonQueryRaised', 'ComparisonQueryResolved', 'CaseRejected']);
  }, 120_000);

  it('hostile lists are refused whole, naming the row or field, and nothing is recorded', async () => {
    const before = await counts();
    const ok = validHousehold().members.map((m) => m.idNumber);
    const wrongCheck = ok[1].slice(0, 17) + (ok[1][17] === '1' ? '2' : '1');
    const cases: [string, string | Buffer, string, number, string, RegExp][] = [
      [
        'source=deaths&date=2026-11-30',
        `身份证号\r\n${ok[0]}\r\n${ok[0].slice(0, 10)}\u0000${ok[0].slice(11)}\r\n`,
        'text/csv',
        400,
        'body.line.3',
        /^身份证号应为 ?18 ?位/,
      ],
      ['source=deaths&date=2026-11-30', `身份证号,备注\r\n${ok[0]},${'长'.repeat(100_000)}\r\n`, 'text/csv', 400, 'body.line.2', /超过 10000 个字符/],
      ['source=deaths&date=2026-11-30', `身份证号\r\n${ok[0]}\r\n${ok[1]}\r\n${ok[0]}\r\n`, 'text/csv', 400, 'body.line.4', /与第 2 行重复/],
      ['source=deaths&date=2026-11-30', `身份证号\r\n${wrongCheck}\r\n`, 'text/csv', 400, 'body.line.2', /^身份证号校验位错误/],
      ['source=deaths&date=2026-11-30', `姓名\r\n张三\r\n`, 'text/csv', 400, 'body.header', /身份证号/],
      ['source=deaths&date=2026-11-30', `身份证号\r\n`, 'text/csv', 400, 'body', /at least one row/],
      ['source=deaths&date=2026-11-30&county=520102', `身份证号\r\n${ok[0]}\r\n`, 'text/csv', 403, '', /本县/],
      ['source=aliens&date=2026-11-30', `身份证号\r\n${ok[0]}\r\n`, 'text/csv', 400, 'query.source', /./],
      ['source=deaths&date=2026-02-30', `身份证号\r\n${ok[0]}\r\n`, 'text/csv', 400, 'query.date', /./],
      ['source=deaths', `身份证号\r\n${ok[0]}\r\n`, 'text/csv', 400, 'query.date', /./],
      ['source=deaths&date=2026-11-30', Buffer.from('not a zip at all'), XLSX_TYPE, 400, 'body', /./],
      ['source=deaths&date=2026-11-30', `身份证号\r\n${ok[0]}\r\n`, 'text/plain', 415, '', /./],
    ];
    for (const [query, body, type, status, path, message] of cases) {
      const r = await upload(query, body, type);
      expect({ query, status: r.status }).toEqual({ query, status });
      if (path) {
        const error = r.body.errors?.find((e: { path: string }) => e.path === path);
        expect({ query, path, error: error !== undefined }).toEqual({ query, path, error: true });
        if (path.startsWith('body')) expect(error.message).toMatch(message);
      } else expect(r.body.detail).toMatch(message);
      expect(JSON.stringify(r.body)).not.toContain(ok[0]); // an error names the row, never echoes the number
    }
    // A town official may not import; JSON with a bad entry names its index.
    expect((await upload('source=deaths&date=2026-11-30', `身份证号\r\n${ok[0]}\r\n`, 'text/csv', 'town-heping')).status).toBe(403);
    const json = await upload('source=deaths&date=2026-11-30', JSON.stringify({ idNumbers: [ok[0], 'X'] }), 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([{ path: 'body.idNumbers.1', message: expect.stringMatching(/^身份证号应为 ?18 ?位/) }]);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('the lists are listed for the county; no plain ID number is in any table nor in any decoded Temporal payload', async () => {
    const all = await api.call('GET', '/reference-lists', { as: 'supervisor' });
    expect(all.status).toBe(200);
    expect(all.body.items.map((l: { listId: string }) => l.listId).sort()).toEqual([...listIds].sort());
    expect((await api.call('GET', '/reference-lists', { as: 'town-heping' })).status).toBe(403);

    expect(plainIds.length).toBeGreaterThan(3);
    const tables = (await api.db.pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['reference_lists', 'reference_list_entries', 'events', 'cases', 'tasks']));
    for (const t of tables) {
      const hits = await api.db.pool.query(`SELECT count(*)::int AS n FROM "${t}" x WHERE x::text LIKE ANY($1)`, [plainIds.map((id) => `%${id}%`)]);
      expect({ t, n: hits.rows[0].n }).toEqual({ t, n: 0 });
    }

    const codec = new EncryptionCodec(testPayloadKeys());
    const raw = rawClient(api);
    for (const id of [...caseIds, ...listIds.map((l) => `compare-${l}`)]) {
      const history: temporal.api.history.v1.IHistory = await raw.workflow.getHandle(id).fetchHistory();
      const payloads = payloadsOf(history).map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Buffer.from(p.data, 'base64'),
      }));
      const text = (await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString()).join('\n');
      expect(text.length).toBeGreaterThan(100);
      for (const plain of plainIds) expect({ id, found: text.includes(plain) }).toEqual({ id, found: false });
    }
  }, 60_000);
});
