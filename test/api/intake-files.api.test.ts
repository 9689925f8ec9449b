import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { deflateRawSync } from 'node:zlib';
import { EXAMPLE_HEAD_ID, INTAKE_COLUMNS, COLUMN_KEYS } from '../../src/api/intake/columns';
import { parseCsv } from '../../src/api/intake/csv';
import type { HouseholdInput } from '../../src/domain/household';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';
import { contractFetch } from '../support/response-contract';
import { RESIDENT_ID_MESSAGES } from '../../src/domain/resident-id';

const SHIBAN = '522701101201';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZH: string[] = COLUMN_KEYS.map((k) => INTAKE_COLUMNS[k].zh);
const HEALTH_ZH: Record<string, string> = { healthy: '健康', chronic_illness: '慢性病', serious_illness: '大病', disabled: '残疾' };
const CAUSE_ZH: Record<string, string> = {
  illness: '因病',
  lack_of_skilled_labour: '缺技术',
  living_environment: '生存环境差',
  lack_of_development_funds: '缺资金',
  low_income: '收入低',
  schooling: '因学',
  disaster: '因灾',
};

/** A household as the cells of a Chinese sheet, in COLUMN_KEYS order: coded values in Chinese, names in Chinese. */
function zhCells(h: HouseholdInput, name: string): string[] {
  const [head, ...others] = h.members;
  const yesNo = (b: boolean) => (b ? '是' : '否');
  const members = others.map((m, i) => [`${name}家${i + 1}`, '配偶', m.idNumber, m.age, yesNo(m.ableToWork), HEALTH_ZH[m.health]].join('|')).join(';');
  const values: Record<string, string> = {
    head_name: name,
    head_id_number: head.idNumber,
    head_age: String(head.age),
    head_able_to_work: yesNo(head.ableToWork),
    head_health: HEALTH_ZH[head.health],
    members,
    annual_income_fen: String(h.annualIncomeFen),
    housing_grade: h.housingGrade,
    primary_cause: CAUSE_ZH[h.primaryCause],
    secondary_causes: h.secondaryCauses.map((c) => CAUSE_ZH[c]).join('、'),
    requested_help: '修缮房屋，购买种牛',
    bank: h.bankAccount ? '农村信用合作社' : '',
    account_number: h.bankAccount?.accountNumber ?? '',
    land_mu: '',
  };
  return COLUMN_KEYS.map((k) => values[k]);
}
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvText = (rows: string[][]) => rows.map((r) => r.map(csvField).join(',')).join('\r\n');

/** A minimal zip archive of the given parts (deflated), for hostile uploads. */
function zipOf(parts: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const packed = deflateRawSync(p.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(p.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(p.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

async function workbook(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Sheet1'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bulk intake from spreadsheets: GB18030 CSV, Chinese headers, .xlsx, templates (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api?.close());

  const count = async (sql: string, params: unknown[] = []) => (await api.db.pool.query(sql, params)).rows[0].n as number;
  const countBatches = () => count('SELECT count(*)::int AS n FROM intake_batches');

  /** A request with a binary body and a binary answer (the harness reads answers as text). */
  async function send(method: string, path: string, as: string | undefined, body?: Buffer, contentType?: string, extra: Record<string, string> = {}) {
    const res = await contractFetch(`${api.baseUrl}${path}`, {
      method,
      headers: { ...(as ? { authorization: `Bearer ${api.tokens[as]}` } : {}), ...(contentType ? { 'content-type': contentType } : {}), ...extra },
      body,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    let json: any;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, bytes, body: json };
  }
  const upload = (bytes: Buffer, type: string, as = 'village-shiban', village = SHIBAN) => send('POST', `/intake/batches?village=${village}`, as, bytes, type);

  async function untilDone(batchId: string) {
    for (let i = 0; i < 240; i++) {
      const r = await api.call('GET', `/intake/batches/${batchId}`, { as: 'village-shiban' });
      expect(r.status).toBe(200);
      if (r.body.status === 'done') return r.body;
      await sleep(250);
    }
    throw new Error(`batch ${batchId} did not finish`);
  }
  async function expectCase(caseId: string, headName: string) {
    const c = await api.call('GET', `/cases/${caseId}`, { as: 'village-shiban' });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ stage: 'village_evaluation', status: 'open', location: { village: SHIBAN } });
    expect(c.body.household.members[0]).toMatchObject({ name: headName, relation: 'head' });
    return c.body;
  }

  it('a GB18030 CSV with Chinese headers and Chinese values (as Excel on Chinese Windows saves it) creates its cases; errors name the Chinese column', async () => {
    const a = householdInput({ primaryCause: 'illness', secondaryCauses: ['low_income', 'schooling'] });
    const b = householdInput();
    const bad = zhCells(householdInput(), '错号');
    bad[COLUMN_KEYS.indexOf('head_id_number')] = '12345';
    const text = csvText([ZH, zhCells(a, '张三丰'), bad, zhCells(b, '李四')]);
    const gb = iconv.encode(text, 'gb18030');
    expect(gb.equals(Buffer.from(text, 'utf8'))).toBe(false);

    // No charset said: the bytes are not UTF-8, so they are read as GB18030.
    const r = await upload(gb, 'text/csv');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ format: 'csv', total: 3 });
    expect(r.body.rejected).toEqual([{ line: 3, errors: [{ path: '户主身份证号', message: RESIDENT_ID_MESSAGES.format }] }]);
    const done = await untilDone(r.body.batchId);
    expect(done.accepted.map((x: { line: number }) => x.line)).toEqual([2, 4]);
    const first = await expectCase(done.accepted[0].caseId, '张三丰');
    expect(first.household).toMatchObject({ primaryCause: 'illness', secondaryCauses: ['low_income', 'schooling'], requestedHelp: '修缮房屋，购买种牛' });
    expect(first.household.members[0]).toMatchObject({ ableToWork: a.members[0].ableToWork, health: a.members[0].health });
    await expectCase(done.accepted[1].caseId, '李四');

    // Said with charset=gb18030, and the same text in UTF-8 with a BOM: both read alike.
    const c = householdInput();
    const said = await upload(iconv.encode(csvText([ZH, zhCells(c, '王五')]), 'gb18030'), 'text/csv; charset=GB18030');
    expect(said.status).toBe(202);
    await expectCase((await untilDone(said.body.batchId)).accepted[0].caseId, '王五');
    const d = householdInput();
    const bom = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText([ZH, zhCells(d, '赵六')]), 'utf8')]), 'text/csv');
    expect(bom.status).toBe(202);
    await expectCase((await untilDone(bom.body.batchId)).accepted[0].caseId, '赵六');

    // Headers may mix English and Chinese names, and full-width brackets; other charsets are 415; bytes neither UTF-8 nor GB18030 are 400.
    const mixed = [...ZH];
    mixed[0] = 'head_name';
    mixed[COLUMN_KEYS.indexOf('annual_income_fen')] = '家庭年收入(分)';
    const m = await upload(Buffer.from(csvText([mixed, zhCells(householdInput(), '钱七')]), 'utf8'), 'text/csv; charset=utf-8');
    expect(m.status).toBe(202);
    expect(m.body.rejected).toEqual([]);
    await untilDone(m.body.batchId);
    const before = await countBatches();
    const latin = await upload(Buffer.from(csvText([ZH])), 'text/csv; charset=latin1');
    expect([latin.status, latin.headers.get('content-type')]).toEqual([415, expect.stringContaining('application/problem+json')]);
    const garbage = await upload(Buffer.concat([Buffer.from(ZH.join(','), 'utf8'), Buffer.from([0x0d, 0x0a, 0x81, 0x20, 0xff])]), 'text/csv');
    expect([garbage.status, garbage.body.errors]).toEqual([400, [{ path: 'body', message: 'not valid UTF-8 nor GB18030' }]]);
    expect(await countBatches()).toBe(before);
  });

  it('an .xlsx built with exceljs: rows become cases; errors carry the sheet row and column; formulas are read as their values; the same file again is the same batch', async () => {
    const hs = [householdInput(), householdInput(), householdInput(), householdInput()];
    const bytes = await workbook((ws) => {
      ws.addRow(ZH);
      ws.addRow(zhCells(hs[0], '孙一')); // row 2
      ws.addRow([]); // row 3: empty, skipped
      const r4 = ws.addRow(zhCells(hs[1], '孙二'));
      // Numbers as numbers, yes/no as a boolean, income as a formula with the value Excel saved.
      r4.getCell(COLUMN_KEYS.indexOf('head_age') + 1).value = hs[1].members[0].age;
      r4.getCell(COLUMN_KEYS.indexOf('head_able_to_work') + 1).value = true;
      r4.getCell(COLUMN_KEYS.indexOf('annual_income_fen') + 1).value = { formula: '1500*100', result: 150000 } as ExcelJS.CellFormulaValue;
      const r5 = ws.addRow(zhCells(hs[2], '孙三'));
      r5.getCell(COLUMN_KEYS.indexOf('head_id_number') + 1).value = Number(hs[2].members[0].idNumber.replace('X', '1')); // Excel's lost digits
      const r6 = ws.addRow(zhCells(hs[3], '孙四'));
      r6.getCell(COLUMN_KEYS.indexOf('annual_income_fen') + 1).value = { formula: 'A1/0' } as ExcelJS.CellFormulaValue; // no saved value
      // Row 7: a control character in a name, as a workbook carries it (the OOXML escape _xHHHH_, which the reader decodes).
      const r7 = zhCells(householdInput(), '孙五');
      r7[COLUMN_KEYS.indexOf('head_name')] = '孙_x0000_五';
      ws.addRow(r7);
    });
    const r = await upload(bytes, XLSX);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ format: 'xlsx', total: 5 });
    expect(r.body.rejected).toEqual([
      { line: 5, errors: [{ path: '户主身份证号', message: expect.stringMatching(/lost its last digits/) }] },
      { line: 6, errors: [{ path: '家庭年收入（分）', message: expect.stringMatching(/formula with no saved value/) }] },
      {
        line: 7,
        errors: [{ path: '户主姓名', message: expect.stringMatching(/control character \(U\+0000\)/) }],
      },
    ]);
    const done = await untilDone(r.body.batchId);
    expect(done.accepted.map((x: { line: number }) => x.line)).toEqual([2, 4]);
    await expectCase(done.accepted[0].caseId, '孙一');
    const second = await expectCase(done.accepted[1].caseId, '孙二');
    expect(second.household.annualIncomeFen).toBe(150000);
    expect(second.household.members[0].ableToWork).toBe(true);

    const cases = await count('SELECT count(*)::int AS n FROM cases');
    const again = await upload(bytes, XLSX);
    expect([again.status, again.body.batchId]).toEqual([202, r.body.batchId]);
    // With an Idempotency-Key: the retry replays the first answer; the key with another file is 422.
    const path = `/intake/batches?village=${SHIBAN}`;
    const keyed = await send('POST', path, 'village-shiban', bytes, XLSX, { 'idempotency-key': 'xlsx-retry-1' });
    const replay = await send('POST', path, 'village-shiban', bytes, XLSX, { 'idempotency-key': 'xlsx-retry-1' });
    expect([keyed.status, replay.status, replay.headers.get('idempotent-replayed'), replay.body.batchId]).toEqual([202, 202, 'true', r.body.batchId]);
    const other = await send('POST', path, 'village-shiban', await workbook((ws) => ws.addRow(ZH)), XLSX, { 'idempotency-key': 'xlsx-retry-1' });
    expect(other.status).toBe(422);
    await sleep(500);
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(cases);
  });

  it('the .xlsx template: Chinese headers with notes, a notes sheet in Chinese then English, an example row; filled in and uploaded, its rows become cases', async () => {
    const t = await send('GET', '/intake/template.xlsx', 'village-shiban');
    expect(t.status).toBe(200);
    expect(t.headers.get('content-type')).toBe(XLSX);
    expect(t.headers.get('content-disposition')).toBe(
      `attachment; filename="intake-template.xlsx"; filename*=UTF-8''${encodeURIComponent('申请登记模板.xlsx')}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(t.bytes as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(ZH);
    expect(String(ws.getCell('A1').note ? JSON.stringify(ws.getCell('A1').note) : '')).toMatch(/必填.*Required/s);
    expect(ws.getCell(2, COLUMN_KEYS.indexOf('head_id_number') + 1).value).toBe(EXAMPLE_HEAD_ID);
    const notes = wb.worksheets[1];
    expect(notes.name).toBe('填写说明 Notes');
    const noteRows = (notes.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1));
    expect(noteRows).toContainEqual([
      '户主健康状况',
      'head_health',
      '必填 / yes',
      '健康、慢性病、大病、残疾',
      'healthy, chronic_illness, serious_illness, disabled',
    ]);

    // Filled in below the example, which is left in: the example is refused, the rest accepted.
    const [h1, h2] = [householdInput(), householdInput()];
    ws.getRow(3).values = zhCells(h1, '周一');
    ws.getRow(4).values = zhCells(h2, '周二');
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await upload(filled, XLSX);
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([{ line: 2, errors: [{ path: '户主身份证号', message: expect.stringMatching(/example row/) }] }]);
    const done = await untilDone(r.body.batchId);
    expect(done.accepted.map((x: { line: number }) => x.line)).toEqual([3, 4]);
    await expectCase(done.accepted[0].caseId, '周一');
    await expectCase(done.accepted[1].caseId, '周二');
  });

  it('the .csv template is UTF-8 with a BOM and the Chinese headers; filled in, it is accepted', async () => {
    const t = await send('GET', '/intake/template.csv', 'town-heping');
    expect(t.status).toBe(200);
    expect(t.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect([...t.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, example] = parseCsv(t.bytes.toString('utf8'));
    expect(header.fields).toEqual(ZH);
    expect(example.fields[COLUMN_KEYS.indexOf('head_id_number')]).toBe(EXAMPLE_HEAD_ID);
    const text = `${t.bytes.toString('utf8')}${csvText([zhCells(householdInput(), '吴一')])}\r\n`;
    const r = await upload(Buffer.from(text, 'utf8'), 'text/csv');
    expect(r.status).toBe(202);
    expect(r.body.rejected.map((x: { line: number }) => x.line)).toEqual([2]);
    const done = await untilDone(r.body.batchId);
    await expectCase(done.accepted[0].caseId, '吴一');
    expect((await send('GET', '/intake/template.csv', 'applicant-shiban-1')).status).toBe(403);
    expect((await send('GET', '/intake/template.xlsx', 'supervisor')).status).toBe(403);
    expect((await send('GET', '/intake/template.xlsx', undefined)).status).toBe(401);
  });

  it('hostile uploads are refused as a whole with problem+json naming the problem, and nothing is written', async () => {
    const before = await countBatches();
    const casesBefore = await count('SELECT count(*)::int AS n FROM cases');
    const expectProblem = (r: { status: number; headers: Headers; body: any }, status: number, message: string | RegExp, path = 'body') => {
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
    };

    expectProblem(await upload(Buffer.from('this is not a zip at all, just text pretending'), XLSX), 400, /^not a zip archive$/);
    expectProblem(await upload(zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<x/>') }]), XLSX), 400, /^not a readable \.xlsx workbook$/);
    // A zip bomb: 60 MB of zeros packed into some 60 KB.
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expectProblem(await upload(bomb, XLSX), 413, /zip bomb/);
    // More rows than one batch takes.
    const tooMany = await workbook((ws) => {
      ws.addRow(ZH);
      for (let i = 0; i < 5001; i++) ws.addRow(['x']);
    });
    expectProblem(await upload(tooMany, XLSX), 400, /^at most 5000 rows$/);
    // A cell no household needs.
    const huge = await workbook((ws) => {
      ws.addRow(ZH);
      ws.addRow(['名'.repeat(20_000)]);
    });
    expectProblem(await upload(huge, XLSX), 400, /more than 10000 characters/, 'body.row.2');
    // A header that is not the template's.
    const header = await workbook((ws) => {
      ws.addRow(['户主姓名', '身份证']);
      ws.addRow(['a', 'b']);
    });
    const h = await upload(header, XLSX);
    expect(h.status).toBe(400);
    expect(h.body.errors).toEqual(expect.arrayContaining([{ path: 'body.header.身份证', message: 'unknown column "身份证"' }]));
    // Wrong content type, an empty workbook body, a body over 10 MB.
    const wrongType = await upload(await workbook((ws) => ws.addRow(ZH)), 'application/zip');
    expect([wrongType.status, wrongType.headers.get('content-type')]).toEqual([415, expect.stringContaining('application/problem+json')]);
    expectProblem(await upload(Buffer.alloc(0), XLSX), 400, /empty/);
    expect((await upload(Buffer.alloc(11 * 1024 * 1024, 1), XLSX)).status).toBe(413);
    // Not the uploader's village, or not a village official.
    expect((await upload(await workbook((ws) => ws.addRow(ZH)), XLSX, 'village-shiban', '522701102201')).status).toBe(403);
    expect((await upload(await workbook((ws) => ws.addRow(ZH)), XLSX, 'town-heping')).status).toBe(403);

    expect(await countBatches()).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(casesBefore);
  });
});
