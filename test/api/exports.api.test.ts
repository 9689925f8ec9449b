import ExcelJS from 'exceljs';
import { parseCsv } from '../../src/api/intake/csv';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { householdInput } from '../support/fixtures';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const YANGLIU = '522701101202';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TODAY = () => new Date().toISOString().slice(0, 10);

const CASE_HEADERS = [
  '案件编号 (caseId)',
  '户编号 (householdId)',
  '阶段 (stage)',
  '阶段名称 (stage name)',
  '状态 (status)',
  '县 (county)',
  '乡镇 (town)',
  '村 (village)',
  '进入本阶段时间 (stageEnteredAt)',
  '本阶段期限 (stageDueAt)',
  '立案时间 (openedAt)',
  '更新时间 (updatedAt)',
];
const STALLED_HEADERS = [
  '案件编号 (caseId)',
  '阶段 (stage)',
  '阶段名称 (stage name)',
  '乡镇 (town)',
  '村 (village)',
  '经办人 (holder)',
  '进入本阶段时间 (stageEnteredAt)',
  '期限 (dueAt)',
  '超期天数 (daysOverdue)',
  '经办起始时间 (heldSince)',
  '督办层级 (escalationLevel)',
];

type CaseItem = {
  caseId: string;
  householdId: string;
  stage: string;
  status: string;
  location: { county: string; town: string; village: string };
  deadlines: { stageEnteredAt: string; stageDueAt: string | null };
  openedAt: string;
  updatedAt: string;
};
/** A JSON list item as the export writes it (every cell as the text a CSV carries). */
const caseCells = (c: CaseItem) => [
  c.caseId,
  c.householdId,
  c.stage,
  c.stage === 'village_evaluation' ? '村级评议' : expect.any(String),
  c.status,
  c.location.county,
  c.location.town,
  c.location.village,
  c.deadlines.stageEnteredAt,
  c.deadlines.stageDueAt ?? '',
  c.openedAt,
  c.updatedAt,
];

describe('lists as CSV and xlsx files: GET /cases and GET /supervision/stalled (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  const shibanCases: string[] = [];
  let yangliuCase: string;
  beforeAll(async () => {
    api = await apiHarness({ STAGE_TIME_LIMIT: 'PT1S' }); // every case is stalled a second after it opens
    for (let i = 0; i < 3; i++) {
      const r = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
      expect(r.status).toBe(201);
      shibanCases.push(r.body.caseId);
    }
    const y = await api.call('POST', '/applications', { as: 'village-yangliu', body: { village: YANGLIU, household: householdInput() } });
    expect(y.status).toBe(201);
    yangliuCase = y.body.caseId;
    // Each case is reminded a second after it opens and then left alone for days (ESCALATE_AFTER):
    // wait for every reminder, so that no file read below races one that moves a case's updatedAt.
    const ids = [...shibanCases, yangliuCase];
    const reminded = async () =>
      (
        await api.db.pool.query<{ n: number }>("SELECT count(DISTINCT stream_id)::int AS n FROM events WHERE type = 'ReminderSent' AND stream_id = ANY($1)", [
          ids,
        ])
      ).rows[0]!.n === ids.length;
    await waitFor(reminded, 60_000);
  }, 90_000);
  afterAll(() => api?.close());

  async function download(path: string, as?: string, headers: Record<string, string> = {}) {
    const res = await contractFetch(`${api.baseUrl}${path}`, { headers: { ...(as ? { authorization: `Bearer ${api.tokens[as]}` } : {}), ...headers } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  const csvRows = (bytes: Buffer) => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toMatch(/\r\n$/);
    return parseCsv(bytes.toString('utf8')).map((r) => r.fields);
  };
  async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  }
  const everyJsonPage = async (path: string, as: string) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const r = await api.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { as });
      expect(r.status).toBe(200);
      items.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    return items;
  };

  it("a village official's CSV of /cases is the JSON list: same rows, Chinese headers, a BOM, no other village's case", async () => {
    const r = await download('/cases?format=csv', 'village-shiban');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(
      `attachment; filename="cases-${TODAY()}.csv"; filename*=UTF-8''${encodeURIComponent(`案件清单-${TODAY()}.csv`)}`,
    );
    const [header, ...rows] = csvRows(r.bytes);
    expect(header).toEqual(CASE_HEADERS);
    const json = await everyJsonPage('/cases', 'village-shiban');
    expect(rows).toEqual(json.map(caseCells));
    const ids = rows.map((row) => row[0]);
    expect(ids).toEqual(expect.arrayContaining(shibanCases));
    expect(ids).not.toContain(yangliuCase);
    expect(rows.every((row) => row[7] === SHIBAN)).toBe(true);
    expect(r.headers.get('x-next-cursor')).toBeNull();
  });

  it("a town official's xlsx of /cases with a filter is the filtered JSON list; Accept: text/csv works as format=csv", async () => {
    const r = await download(`/cases?format=xlsx&village=${YANGLIU}`, 'town-heping');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XLSX);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''/);
    const [header, ...rows] = await xlsxRows(r.bytes);
    expect(header).toEqual(CASE_HEADERS);
    const json = await everyJsonPage(`/cases?village=${YANGLIU}`, 'town-heping');
    expect(json.map((c) => c.caseId)).toEqual([yangliuCase]);
    expect(rows).toEqual(json.map(caseCells));

    const accept = await download(`/cases?village=${SHIBAN}`, 'town-heping', { accept: 'text/csv' });
    expect(accept.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvRows(accept.bytes).slice(1)).toEqual((await everyJsonPage(`/cases?village=${SHIBAN}`, 'town-heping')).map(caseCells));
    // format=json wins over Accept; a format not offered is a 400 naming it.
    expect((await api.call('GET', '/cases?format=json', { as: 'town-heping', headers: { accept: 'text/csv' } })).body.items).toEqual(expect.any(Array));
    const pdf = await api.call('GET', '/cases?format=pdf', { as: 'town-heping' });
    expect([pdf.status, pdf.body.errors?.[0].path]).toEqual([400, 'query.format']);
  });

  it('stalled cases as CSV and xlsx equal the JSON list; formula-like texts are neutralised in both', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    // A text that a spreadsheet would run: whatever is stored, the export must show it as text.
    await api.db.pool.query(`UPDATE cases SET holder = $2 WHERE case_id = $1`, [shibanCases[0], '=HYPERLINK("http://evil.example","x")']);
    await api.db.pool.query(`UPDATE cases SET holder = $2 WHERE case_id = $1`, [shibanCases[1], '@SUM(1,2)']);
    const json = await everyJsonPage(`/supervision/stalled?jurisdiction=${SHIBAN}`, 'supervisor');
    expect(json.map((i) => i.caseId)).toEqual(expect.arrayContaining(shibanCases));
    const cells = (i: any, number: (n: number) => unknown) => [
      i.caseId,
      i.stage,
      '村级评议',
      i.town,
      i.village,
      i.caseId === shibanCases[0] ? `'=HYPERLINK("http://evil.example","x")` : i.caseId === shibanCases[1] ? "'@SUM(1,2)" : (i.holder ?? ''),
      i.stageEnteredAt,
      i.dueAt,
      number(i.daysOverdue),
      i.heldSince ?? '',
      { none: '未上报 none', town: '已上报乡镇 town', county: '已上报县级 county' }[i.escalationLevel as 'none'],
    ];

    const csv = await download(`/supervision/stalled?format=csv&jurisdiction=${SHIBAN}`, 'supervisor');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`filename="stalled-cases-${TODAY()}.csv"`);
    const [header, ...rows] = csvRows(csv.bytes);
    expect(header).toEqual(STALLED_HEADERS);
    expect(rows).toEqual(json.map((i) => cells(i, String)));
    expect(csv.bytes.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`); // RFC 4180 quoting

    const xlsx = await download(`/supervision/stalled?format=xlsx&jurisdiction=${SHIBAN}`, 'auditor');
    expect(xlsx.status).toBe(200);
    const [xHeader, ...xRows] = await xlsxRows(xlsx.bytes);
    expect(xHeader).toEqual(STALLED_HEADERS);
    expect(xRows).toEqual(json.map((i) => cells(i, Number).map((v) => (v === '' ? undefined : v))));
  });

  it('the same access checks: roles that may not read get 403, a jurisdiction outside the caller is 403, no token is 401', async () => {
    for (const as of ['applicant-shiban-1', 'operator', 'county-admin']) {
      expect({ as, status: (await download('/cases?format=csv', as)).status }).toEqual({ as, status: 403 });
    }
    for (const as of ['village-shiban', 'town-heping', 'fund-manager', 'applicant-shiban-1']) {
      expect({ as, status: (await download('/supervision/stalled?format=xlsx', as)).status }).toEqual({ as, status: 403 });
    }
    expect((await download('/cases?format=csv')).status).toBe(401);
    // A village official's export never holds another village's case, whatever the filter asks for.
    const other = await download(`/cases?format=csv&village=${YANGLIU}`, 'village-shiban');
    expect(other.status).toBe(200);
    expect(csvRows(other.bytes).slice(1)).toEqual([]);
  });
});
