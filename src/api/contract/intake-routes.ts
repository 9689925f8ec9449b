import * as I from './intake-schemas';
import type { RouteSpec } from './route-spec';

const exampleRows = [
  {
    members: [
      { name: 'Chen Jun', relation: 'head', idNumber: '522701196805120030', ableToWork: true, health: 'chronic_illness' },
      { name: 'Chen Hua', relation: 'spouse', idNumber: '522701197001020020', ableToWork: false, health: 'serious_illness' },
    ],
    annualIncomeFen: 180000,
    housingGrade: 'C',
    primaryCause: 'illness',
    secondaryCauses: ['low_income'],
    requestedHelp: 'medical expense top-up',
    bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: '6228480098765432' },
  },
  {
    members: [{ name: 'Zhao Li', relation: 'head', idNumber: '522701195511230045', ableToWork: false, health: 'disabled' }],
    annualIncomeFen: 90000,
    housingGrade: 'D',
    primaryCause: 'lack_of_skilled_labour',
    requestedHelp: 'housing repair',
  },
];

export const exampleIntakeCsv = [
  'head_name,head_id_number,head_age,head_able_to_work,head_health,members,annual_income_fen,housing_grade,primary_cause,secondary_causes,requested_help,bank,account_number',
  'Sun Qiang,522701196902140017,,true,chronic_illness,"Sun Mei|spouse|52270119710405002X||false|serious_illness;Sun Yu|child|522701200707070016||true|healthy",150000,C,illness,low_income;schooling,"medical top-up, school fees",Rural Credit Cooperative,6228480011223344',
  'Zhou Lan,522701195203300064,,false,disabled,,80000,D,lack_of_skilled_labour,,"roof repair; a ""five guarantees"" check",,',
].join('\r\n');

const csvFormat = [
  'Send the file as JSON (`{ village, rows }`, each row a household as in POST /applications), as `text/csv` with `?village=`, or as an Excel workbook (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, the raw .xlsx bytes, at most 10 MB) with `?village=`. GET /intake/template.xlsx (or .csv) gives a template with the Chinese headers.',
  '',
  'CSV (RFC 4180): UTF-8 (a BOM is dropped) or GB18030, as Excel on Chinese Windows saves it: `charset=gb18030` (or gbk, gb2312) says so, and bytes that are not valid UTF-8 are read as GB18030; other charsets are 415. A header line naming the columns (any order), then one household per line. Fields holding commas, quotes or line breaks are quoted, with quotes doubled.',
  '',
  ".xlsx: the first sheet; row 1 the header, each further non-empty row a household, errors carry the sheet's row number. A formula is read as the value Excel saved with it; a formula without a saved value, an error value (#N/A) or a long number Excel stored as a number (an ID number that lost its last digits) is an error of that row. Refused as a whole (400 problem+json naming the problem): not a zip archive, encrypted, zip64, more than 500 parts, more than 5,000 rows or 60 columns, a cell over 10,000 characters; a workbook that unpacks to more than 40 MB (a zip bomb) is 413.",
  '',
  'Columns, each by its English or its Chinese name (户主姓名, 户主身份证号, 户主年龄, 户主有劳动能力, 户主健康状况, 其他家庭成员, 家庭年收入（分）, 住房等级, 主要致贫原因, 次要致贫原因, 申请帮扶内容, 开户银行, 银行账号, 耕地面积（亩）); coded values may be written in Chinese too (是/否; 健康, 慢性病, 大病, 残疾; 因病, 缺技术, 生存环境差, 缺资金, 收入低, 因学, 因灾):',
  '`head_name`, `head_id_number` (GB 11643-1999: a real birth date, the check digit; x or X), `head_age` (may be empty: read from the ID number; if written, it must agree with it), `head_able_to_work` (true/false), `head_health` (healthy, chronic_illness, serious_illness, disabled),',
  '`members` (optional: the other members as `name|relation|idNumber|age|ableToWork|health`, separated by `;`, age again may be empty),',
  '`annual_income_fen` (integer fen), `housing_grade` (A-D), `primary_cause`, `secondary_causes` (optional, separated by `;`), `requested_help`,',
  '`bank` and `account_number` (optional, both or neither), `land_mu` (optional).',
  '',
  "Every row is validated on its own: the answer lists the rows refused, each with its line (CSV: the file's line, the header being line 1; JSON: the 1-based row index) and errors naming the CSV column or JSON field. Valid rows become cases in the background; poll GET /intake/batches/{batchId} until `status` is `done`.",
  'Uploading the same file again (same uploader, village and content) returns the same batch and starts nothing new.',
].join('\n');

export const intakeRoutes = {
  submitIntakeBatch: {
    method: 'post',
    path: '/intake/batches',
    tag: 'intake',
    summary: 'A village official uploads many applications at once',
    description: csvFormat,
    access: ['village_official'],
    query: I.IntakeQuery,
    body: I.IntakeJsonBody,
    idempotent: true,
    example: { village: '522701101201', rows: exampleRows },
    otherBodies: { 'text/csv': { schema: I.IntakeCsvBody, example: exampleIntakeCsv }, [I.XLSX_TYPE]: { schema: I.IntakeXlsxBody } },
    success: { status: 202, description: 'the batch: rows refused so far, and cases started so far', schema: I.IntakeBatchView },
    errors: [400, 401, 403, 413, 415, 422],
  },
  getIntakeBatch: {
    method: 'get',
    path: '/intake/batches/{batchId}',
    tag: 'intake',
    summary: "A bulk upload's progress: cases started and rows refused",
    access: ['village_official', 'town_official', 'county_official'],
    params: I.BatchIdParams,
    success: { status: 200, description: 'the batch', schema: I.IntakeBatchView },
    errors: [400, 401, 403, 404],
  },
  intakeTemplateXlsx: {
    method: 'get',
    path: '/intake/template.xlsx',
    tag: 'intake',
    summary: 'The bulk intake template as an Excel workbook (Chinese headers)',
    description:
      'Sheet 1 (申请登记): the Chinese column headers, each with a note (Chinese, then English), and one example row to delete before uploading (it is refused if uploaded); lists for the coded columns; ID and account columns formatted as text. Sheet 2 (填写说明 Notes): every column, whether required and its allowed values, Chinese then English.',
    access: ['village_official', 'town_official', 'county_official'],
    success: { status: 200, description: 'the workbook', otherTypes: { [I.XLSX_TYPE]: I.IntakeXlsxBody } },
    errors: [401, 403],
  },
  intakeTemplateCsv: {
    method: 'get',
    path: '/intake/template.csv',
    tag: 'intake',
    summary: 'The bulk intake template as CSV (UTF-8 with a BOM, Chinese headers)',
    description:
      'The Chinese header line and one example row (delete it before uploading); the column notes are in the .xlsx template and in POST /intake/batches.',
    access: ['village_official', 'town_official', 'county_official'],
    success: { status: 200, description: 'the CSV', otherTypes: { 'text/csv': I.IntakeCsvBody } },
    errors: [401, 403],
  },
} satisfies Record<string, RouteSpec>;
