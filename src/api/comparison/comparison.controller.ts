import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { CasesService } from '../cases/cases.service';
import { XLSX_TYPE } from '../contract/intake-schemas';
import { routes } from '../contract/routes';
import { mediaType } from '../http/media-type.interceptor';
import { problem } from '../http/problem';
import { validate } from '../http/validate';
import { decodeCsv } from '../intake/decode-text';
import { readXlsx } from '../intake/xlsx-rows';
import { referenceRowsOfCsv, referenceRowsOfJson, referenceRowsOfTable } from './reference-list-rows';
import { ReferenceListsService } from './reference-lists.service';

const bytesOf = (body: unknown): Buffer => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));

/** Thin: check the route's role, validate each part against its schema, hand over to the service. */
@Controller()
export class ComparisonController {
  constructor(
    private readonly lists: ReferenceListsService,
    private readonly cases: CasesService,
  ) {}

  @Post('reference-lists')
  @HttpCode(201)
  async import(@CurrentUser() user: AuthUser, @Body() body: unknown, @Query() query: unknown, @Headers('content-type') contentType?: string) {
    const r = routes.importReferenceList;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    this.lists.countyOf(user, q.county); // before reading the file: another county's list is refused unread
    const type = mediaType(contentType);
    if (type === 'text/csv') {
      const text = validate(r.otherBodies['text/csv'].schema, decodeCsv(bytesOf(body), contentType), 'body');
      return this.lists.import(user, q, 'csv', text, () => referenceRowsOfCsv(text));
    }
    if (type === XLSX_TYPE) {
      const bytes = bytesOf(body);
      if (bytes.length === 0)
        throw problem(400, 'validation', '.xlsx 文件是空的 (the .xlsx file is empty)', [{ path: 'body', message: 'the .xlsx file is empty' }]);
      return this.lists.import(user, q, 'xlsx', bytes, async () => referenceRowsOfTable(await readXlsx(bytes)));
    }
    if (type !== 'application/json') throw problem(415, 'unsupported-media-type', `send text/csv, ${XLSX_TYPE} or application/json`);
    const json = validate(r.body, body, 'body');
    return this.lists.import(user, q, 'json', JSON.stringify(json.idNumbers), () => referenceRowsOfJson(json.idNumbers));
  }

  @Get('reference-lists')
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.listReferenceLists;
    assertRouteAccess(user, r);
    return this.lists.list(user, validate(r.query, query, 'query').limit);
  }

  @Get('reference-lists/:listId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getReferenceList;
    assertRouteAccess(user, r);
    return this.lists.get(user, validate(r.params, params, 'params').listId);
  }

  @Post('cases/:caseId/queries/:queryId/resolution')
  @HttpCode(200)
  resolve(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const r = routes.resolveComparisonQuery;
    assertRouteAccess(user, r);
    const p = validate(r.params, params, 'params');
    return this.cases.resolveQuery(user, p.caseId, p.queryId, validate(r.body, body, 'body'), key);
  }
}
