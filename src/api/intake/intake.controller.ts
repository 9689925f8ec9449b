import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { XLSX_TYPE } from '../contract/intake-schemas';
import { routes } from '../contract/routes';
import { attachment } from '../exports/table-file';
import { mediaType } from '../http/media-type.interceptor';
import { problem } from '../http/problem';
import { validate } from '../http/validate';
import { decodeCsv } from './decode-text';
import { IntakeService } from './intake.service';
import { templateCsv, templateXlsx } from './template';

/** The raw bytes of a file upload (create-app.ts reads text/csv and .xlsx bodies as bytes); no body is an empty file. */
const bytesOf = (body: unknown): Buffer => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));

/** Thin: check the route's role, validate each part against its schema, hand over to the service. */
@Controller()
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post('intake/batches')
  @HttpCode(202)
  submit(@CurrentUser() user: AuthUser, @Body() body: unknown, @Query() query: unknown, @Headers('content-type') contentType?: string) {
    const r = routes.submitIntakeBatch;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const type = mediaType(contentType);
    if (type === 'text/csv' || type === XLSX_TYPE) {
      if (!q.village)
        throw problem(400, 'validation', `a ${type === XLSX_TYPE ? '.xlsx' : 'text/csv'} upload needs ?village=`, [
          { path: 'query.village', message: 'required with a file upload' },
        ]);
      const bytes = bytesOf(body);
      if (type === XLSX_TYPE) {
        if (bytes.length === 0) throw problem(400, 'validation', 'the .xlsx file is empty', [{ path: 'body', message: 'the .xlsx file is empty' }]);
        return this.intake.submitXlsx(user, q.village, bytes);
      }
      return this.intake.submitCsv(user, q.village, validate(r.otherBodies['text/csv'].schema, decodeCsv(bytes, contentType), 'body'));
    }
    if (type !== 'application/json') throw problem(415, 'unsupported-media-type', `send application/json, text/csv or ${XLSX_TYPE}`);
    return this.intake.submitJson(user, validate(r.body, body, 'body'));
  }

  @Get('intake/batches/:batchId')
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    const r = routes.getIntakeBatch;
    assertRouteAccess(user, r);
    return this.intake.get(user, validate(r.params, params, 'params').batchId);
  }

  @Get('intake/template.xlsx')
  async templateXlsx(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response) {
    assertRouteAccess(user, routes.intakeTemplateXlsx);
    res.setHeader('Content-Disposition', attachment('intake-template.xlsx', '申请登记模板.xlsx'));
    return new StreamableFile(await templateXlsx(), { type: XLSX_TYPE });
  }

  @Get('intake/template.csv')
  templateCsv(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response) {
    assertRouteAccess(user, routes.intakeTemplateCsv);
    res.setHeader('Content-Disposition', attachment('intake-template.csv', '申请登记模板.csv'));
    return new StreamableFile(templateCsv(), { type: 'text/csv; charset=utf-8' });
  }
}
