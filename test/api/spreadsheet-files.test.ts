import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { attachment, exportFormat, neutralise, tableCsv, tableXlsx, type ExportColumn } from '../../src/api/exports/table-file';
import { columnOf } from '../../src/api/intake/columns';
import { decodeCsv } from '../../src/api/intake/decode-text';
import { ProblemError } from '../../src/api/http/problem';

const problemOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ProblemError) return e.problem;
    throw e;
  }
  throw new Error('no problem raised');
};

describe('spreadsheet files: exports, CSV decoding, header names (unit)', () => {
  type Row = { a: string; n: number | null };
  const columns: ExportColumn<Row>[] = [
    { zh: '名称', en: 'name', value: (r) => r.a },
    { zh: '数目', en: 'count', value: (r) => r.n },
  ];
  const hostile = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', 'plain, "quoted"\nline', '中文'];

  it('neutralises formula-like texts (= + - @ tab) and leaves numbers and other texts as they are', () => {
    expect(hostile.map(neutralise)).toEqual(["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTAB", 'plain, "quoted"\nline', '中文']);
    expect(neutralise(-5)).toBe(-5);
    expect(neutralise(null)).toBeNull();
  });

  it('CSV: a BOM, a Chinese (English) header, RFC 4180 quoting, CRLF, neutralised cells', () => {
    const text = tableCsv(
      columns,
      hostile.map((a, i) => ({ a, n: i === 0 ? null : -i })),
    ).toString('utf8');
    expect(text).toBe(
      '\uFEFF名称 (name),数目 (count)\r\n' + '\'=1+1,\r\n\'+SUM(A1),-1\r\n\'-2+3,-2\r\n\'@cmd,-3\r\n\'\tTAB,-4\r\n"plain, ""quoted""\nline",-5\r\n中文,-6\r\n',
    );
  });

  it('xlsx: the same cells, texts stored as texts (no formula)', async () => {
    const bytes = await tableXlsx(
      '表',
      columns,
      hostile.map((a) => ({ a, n: 7 })),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('表');
    expect(ws.getRow(1).values).toEqual([undefined, '名称 (name)', '数目 (count)']);
    for (let i = 0; i < hostile.length; i++) {
      const cell = ws.getCell(i + 2, 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(neutralise(hostile[i]));
      expect(ws.getCell(i + 2, 2).value).toBe(7);
    }
  });

  it('Content-Disposition: an ASCII filename and a UTF-8 filename*', () => {
    expect(attachment('cases-2026-12-02.csv', '案件清单-2026-12-02.csv')).toBe(
      `attachment; filename="cases-2026-12-02.csv"; filename*=UTF-8''%E6%A1%88%E4%BB%B6%E6%B8%85%E5%8D%95-2026-12-02.csv`,
    );
    expect(attachment('a"b\\c中.csv', "x'(y).csv")).toBe(`attachment; filename="a_b_c_.csv"; filename*=UTF-8''x%27%28y%29.csv`);
  });

  it('the format: ?format= first, then Accept', () => {
    expect(exportFormat(undefined, 'text/csv')).toBe('csv');
    expect(exportFormat(undefined, 'application/json, text/csv;q=0.5')).toBe('csv');
    expect(exportFormat(undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(exportFormat('json', 'text/csv')).toBe('json');
    expect(exportFormat('xlsx', undefined)).toBe('xlsx');
    expect(exportFormat(undefined, '*/*')).toBe('json');
  });

  it('decodes CSV bytes: BOM → UTF-8; charset=gb18030; invalid UTF-8 → GB18030; refuses other charsets and undecodable bytes', () => {
    const text = '户主姓名,户主年龄\r\n张三,57';
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(decodeCsv(Buffer.from(text))).toBe(text);
    expect(decodeCsv(iconv.encode(text, 'gb18030'))).toBe(text);
    expect(decodeCsv(iconv.encode(text, 'gb18030'), 'text/csv; charset="GBK"')).toBe(text);
    expect(decodeCsv(iconv.encode('𠀀 four-byte', 'gb18030'), 'text/csv; charset=gb18030')).toBe('𠀀 four-byte');
    expect(problemOf(() => decodeCsv(Buffer.from(text), 'text/csv; charset=iso-8859-1'))).toMatchObject({ status: 415 });
    expect(problemOf(() => decodeCsv(Buffer.from([0x41, 0x81, 0x20])))).toMatchObject({ status: 400, errors: [{ path: 'body' }] });
  });

  it('reads a header in English or Chinese, with full-width or ASCII brackets and stray spaces', () => {
    expect(columnOf('head_id_number')).toBe('head_id_number');
    expect(columnOf(' HEAD_NAME ')).toBe('head_name');
    expect(columnOf('户主身份证号')).toBe('head_id_number');
    expect(columnOf('家庭年收入（分）')).toBe('annual_income_fen');
    expect(columnOf('家庭年收入 (分)')).toBe('annual_income_fen');
    expect(columnOf('身份证')).toBeUndefined();
  });
});
