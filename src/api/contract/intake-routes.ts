import * as I from './intake-schemas';
import type { RouteSpec } from './route-spec';

const exampleRows = [
  {
    members: [
      { name: 'Chen Jun', relation: 'head', idNumber: '522701196805120037', age: 57, ableToWork: true, health: 'chronic_illness' },
      { name: 'Chen Hua', relation: 'spouse', idNumber: '522701197001020026', age: 55, ableToWork: false, health: 'serious_illness' },
    ],
    annualIncomeFen: 180000,
    housingGrade: 'C',
    primaryCause: 'illness',
    secondaryCauses: ['low_income'],
    requestedHelp: 'medical expense top-up',
    bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: '6228480098765432' },
  },
  {
    members: [{ name: 'Zhao Li', relation: 'head', idNumber: '522701195511230042', age: 70, ableToWork: false, health: 'disabled' }],
    annualIncomeFen: 90000,
    housingGrade: 'D',
    primaryCause: 'lack_of_skilled_labour',
    requestedHelp: 'housing repair',
  },
];

export const exampleIntakeCsv = [
  'head_name,head_id_number,head_age,head_able_to_work,head_health,members,annual_income_fen,housing_grade,primary_cause,secondary_causes,requested_help,bank,account_number',
  'Sun Qiang,522701196902140018,56,true,chronic_illness,"Sun Mei|spouse|522701197104050027|54|false|serious_illness;Sun Yu|child|522701200707070015|18|true|healthy",150000,C,illness,low_income;schooling,"medical top-up, school fees",Rural Credit Cooperative,6228480011223344',
  'Zhou Lan,522701195203300061,73,false,disabled,,80000,D,lack_of_skilled_labour,,"roof repair; a ""five guarantees"" check",,',
].join('\r\n');

const csvFormat = [
  'Send the file either as JSON (`{ village, rows }`, each row a household as in POST /applications) or as `text/csv` with `?village=`.',
  '',
  'CSV (RFC 4180, UTF-8): a header line naming the columns (any order), then one household per line. Fields holding commas, quotes or line breaks are quoted, with quotes doubled. Columns:',
  '`head_name`, `head_id_number`, `head_age`, `head_able_to_work` (true/false), `head_health` (healthy, chronic_illness, serious_illness, disabled),',
  '`members` (optional: the other members as `name|relation|idNumber|age|ableToWork|health`, separated by `;`),',
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
    otherBodies: { 'text/csv': { schema: I.IntakeCsvBody, example: exampleIntakeCsv } },
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
} satisfies Record<string, RouteSpec>;
