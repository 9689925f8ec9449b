import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EXPORT_CAP } from '../contract/export-schemas';
import { STALLED_COLUMNS } from '../exports/list-columns';
import { sendExport } from '../exports/send-export';
import { exportFormat } from '../exports/table-file';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { SupervisionService } from './supervision.service';

@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  /** JSON, or with ?format=csv|xlsx (or Accept) the same list as a file, up to EXPORT_CAP rows. */
  @Get('stalled')
  async stalled(@CurrentUser() user: AuthUser, @Query() query: unknown, @Res({ passthrough: true }) res: Response, @Headers('accept') accept?: string) {
    const r = routes.stalledCases;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const format = exportFormat(q.format, accept);
    if (format === 'json') return this.supervision.stalled(user, q);
    const list = await this.supervision.stalled(user, q, EXPORT_CAP);
    return sendExport(res, format, { ascii: 'stalled-cases', zh: '超期案件', sheet: '超期案件' }, STALLED_COLUMNS, list.items, list.nextCursor);
  }

  @Get('summary')
  summary(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const r = routes.supervisionSummary;
    assertRouteAccess(user, r);
    return this.supervision.summary(user, validate(r.query, query, 'query'));
  }
}
