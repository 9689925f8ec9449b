import ExcelJS from 'exceljs';
import { parseCsv } from '../../src/api/intake/csv';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { enrolHousehold } from '../support/enrol';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const key = () => ({ 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` });
const account = () => `62284802${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const quarterOf = (d: Date) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

/**
 * Issue #13, the rhythm: the quarterly assessment and the biweekly progress report per village,
 * in JSON, CSV and .xlsx (read back here), with figures from what was done through the API.
 */
describe('GET /reports/assessment and /reports/progress', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    const first = await enrolHousehold(api, account());
    await enrolHousehold(api, account());
    expect((await api.call('PATCH', `/jurisdictions/${SHIBAN}`, { as: 'county-admin', body: { population: 400 } })).status).toBe(200);
    await api.call('POST', '/helpers', { as: 'county-office', body: { userId: 'helper-li', rank: 'cadre', unit: '县农业农村局' } });
    await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId: first, helperId: 'helper-li' } });
    const visit = await api.call('POST', `/households/${first}/visits`, {
      as: 'helper-li',
      headers: key(),
      body: { kind: 'festival', visitedAt: new Date().toISOString(), notes: '春节走访' },
    });
    expect(visit.status).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await api?.close();
  });

  async function download(path: string, as: string) {
    const res = await contractFetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${api.tokens[as]}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      disposition: res.headers.get('content-disposition') ?? '',
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  }

  const shibanFigures = {
    jurisdiction: SHIBAN,
    population: 400,
    enrolledHouseholds: 2,
    enrolledPeople: 4,
    incidence: 0.01,
    casesOpened: 2,
    householdsEnrolled: 2,
    householdsExited: 0,
    paired: 1,
    coverage: 0.5,
    visits: 1,
    plansEffective: 0,
    disbursedFen: 0,
  };

  it('answers JSON: one row per village of the place and a total', async () => {
    const r = await api.call('GET', '/reports/assessment', { as: 'county-office' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ report: 'assessment', jurisdiction: '522701', period: { label: quarterOf(new Date()) } });
    expect(r.body.rows.map((x: { jurisdiction: string }) => x.jurisdiction)).toEqual([
      '522701101201',
      '522701101202',
      '522701102201',
      '522701102202',
      '522701',
    ]);
    expect(r.body.rows[0]).toMatchObject(shibanFigures);
    // The total: populations of the other villages are unknown, so no incidence for the county.
    expect(r.body.rows[4]).toMatchObject({ enrolledHouseholds: 2, enrolledPeople: 4, paired: 1, visits: 1, population: null, incidence: null });

    const town = await api.call('GET', '/reports/progress', { as: 'town-heping' });
    expect(town.body.rows.map((x: { jurisdiction: string }) => x.jurisdiction)).toEqual(['522701101201', '522701101202', '522701101']);
    expect(town.body.rows[0]).toMatchObject({ visits: 1, casesOpened: 2, paired: 1 });
    // A fortnight long ago saw none of this.
    const old = await api.call('GET', '/reports/progress?from=2025-01-06', { as: 'supervisor' });
    expect(old.body.rows[0]).toMatchObject({ visits: 0, casesOpened: 0, enrolledHouseholds: 2 });
    expect(old.body.period).toEqual({ from: '2025-01-06T00:00:00.000Z', to: '2025-01-20T00:00:00.000Z', label: '2025-01-06/P14D' });
  });

  it('answers CSV with Chinese headers and a BOM, and an .xlsx that reads back the same figures', async () => {
    const csv = await download('/reports/assessment?format=csv', 'supervisor');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toMatch(/assessment-522701/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.bytes.toString('utf8')).map((x) => x.fields);
    expect(rows[0]?.slice(0, 6)).toEqual([
      '行政区划代码 (jurisdiction)',
      '名称 (name)',
      '户籍人口 (population)',
      '在册贫困户数 (enrolled households)',
      '在册贫困人口 (enrolled people)',
      '贫困发生率(%) (incidence %)',
    ]);
    expect(rows[1]?.slice(0, 6)).toEqual([SHIBAN, 'Shiban Village', '400', '2', '4', '1']);

    const xlsx = await download('/reports/assessment?format=xlsx', 'county-office');
    expect(xlsx.type).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('季度考核');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('结对覆盖率(%) (coverage %)');
    expect(header).toContain('拨付资金(元) (paid out (yuan))');
    const shiban = (sheet.getRow(2).values as unknown[]).slice(1);
    const at = (zh: string) => shiban[header.findIndex((h) => String(h).startsWith(zh))];
    expect([
      at('行政区划代码'),
      at('在册贫困户数'),
      at('在册贫困人口'),
      at('贫困发生率'),
      at('已结对户数'),
      at('结对覆盖率'),
      at('走访次数'),
      at('拨付资金'),
    ]).toEqual([SHIBAN, 2, 4, 1, 1, 50, 1, '0.00']);
    expect(sheet.rowCount).toBe(6); // the header, four villages, the total
  });

  it('refuses other roles and places, and bad parameters naming them', async () => {
    expect((await api.call('GET', '/reports/assessment', { as: 'village-shiban' })).status).toBe(403);
    expect((await api.call('GET', '/reports/assessment', { as: 'helper-li' })).status).toBe(403);
    expect((await api.call('GET', '/reports/progress?jurisdiction=522701101', { as: 'town-dongfeng' })).status).toBe(403);
    for (const [query, field] of [
      ['quarter=2026-Q5', 'query.quarter'],
      ['quarter=2099-Q1', 'query.quarter'],
      ['format=pdf', 'query.format'],
      ['jurisdiction=5227', 'query.jurisdiction'],
    ]) {
      const r = await api.call('GET', `/reports/assessment?${query}`, { as: 'supervisor' });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, field]);
    }
    for (const [query, field] of [
      ['from=2026-13-01', 'query.from'],
      ['from=2999-01-01', 'query.from'],
    ]) {
      const r = await api.call('GET', `/reports/progress?${query}`, { as: 'supervisor' });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, field]);
    }
    const bad = await api.call('PATCH', `/jurisdictions/${SHIBAN}`, { as: 'county-admin', body: { population: -1 } });
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, 'body.population']);
  });
});
