import * as C from './comparison-schemas';
import { XLSX_TYPE } from './intake-schemas';
import type { RouteSpec } from './route-spec';
import * as S from './schemas';

const importDescription = [
  "比对: a county official imports another department's list (public employees, vehicles, urban property, business registrations, deaths) with `?source=` and `?date=`. Every open application of the county is compared against it at once, and every case reaching town audit later is compared against every list of its county: each member found is a query (疑点) on the case, for the town to settle (POST /cases/{caseId}/queries/{queryId}/resolution). While a query is open the town cannot pass the case nor the county approve it (409).",
  '',
  'The body: CSV (UTF-8 or GB18030, as for bulk intake) or an .xlsx workbook (first sheet) with a header naming the ID column (身份证号, id_number or 公民身份号码), or JSON `{ idNumbers: [...] }`. Other columns are ignored; names are not stored. ID numbers are kept only as keyed hashes.',
  'Every row is checked (18 characters, the check digit, no repeats): if any row is wrong the answer is 400 listing each (path `body.line.{line}`), and nothing is recorded. The same file imported again by the same official for the same source and date is the same list.',
].join('\n');

export const comparisonRoutes = {
  importReferenceList: {
    method: 'post',
    path: '/reference-lists',
    tag: 'comparison',
    summary: "A county official imports another department's list for the comparison step (比对)",
    description: importDescription,
    access: ['county_official'],
    query: C.ImportReferenceListQuery,
    body: C.ReferenceListJsonBody,
    idempotent: true,
    example: { idNumbers: ['522701195511230046'] },
    otherBodies: {
      'text/csv': { schema: C.ReferenceListCsvBody, example: '姓名,身份证号,死亡日期\r\n赵立,522701195511230046,2026-10-02' },
      [XLSX_TYPE]: { schema: C.ReferenceListXlsxBody },
    },
    success: {
      status: 201,
      description: 'the list as recorded; the comparison runs in the background (GET /reference-lists/{listId})',
      schema: C.ReferenceListView,
    },
    errors: [400, 401, 403, 413, 415],
  },
  listReferenceLists: {
    method: 'get',
    path: '/reference-lists',
    tag: 'comparison',
    summary: "The county's reference lists, newest first, with what their comparison found",
    access: ['county_official', 'supervisor', 'auditor'],
    query: C.ReferenceListsQuery,
    success: { status: 200, description: 'the lists', schema: C.ReferenceListListView },
    errors: [400, 401, 403],
  },
  getReferenceList: {
    method: 'get',
    path: '/reference-lists/{listId}',
    tag: 'comparison',
    summary: 'One reference list and what its comparison found',
    access: ['county_official', 'supervisor', 'auditor'],
    params: C.ReferenceListIdParams,
    success: { status: 200, description: 'the list', schema: C.ReferenceListView },
    errors: [400, 401, 403, 404],
  },
  resolveComparisonQuery: {
    method: 'post',
    path: '/cases/{caseId}/queries/{queryId}/resolution',
    tag: 'comparison',
    summary: 'The town settles a comparison query (疑点) on a case',
    description:
      "cleared: the case goes on; confirmed: the household is not eligible and the case ends rejected with the reason. Only a town official of the case's town, not related to the household.",
    access: ['town_official'],
    params: C.QueryResolutionParams,
    body: C.QueryResolutionBody,
    idempotent: true,
    example: { outcome: 'cleared', reason: '同名不同人，已核对户籍 (a namesake: checked against the household register)' },
    success: { status: 200, description: 'the case after the resolution', schema: S.CaseView },
    errors: [400, 401, 403, 404, 409, 422],
  },
} satisfies Record<string, RouteSpec>;
