import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { REPORT_COLUMNS } from '../exports/report-columns';
import { sendExport } from '../exports/send-export';
import { validate } from '../http/validate';
import { ReportsService } from './reports.service';

@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('progress')
  async progress(@CurrentUser() user: AuthUser, @Query() query: unknown, @Res({ passthrough: true }) res: Response) {
    const r = routes.progressReport;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const report = await this.reports.progress(user, q);
    if (q.format === 'json') return report;
    const day = report.period.from.slice(0, 10);
    return sendExport(
      res,
      q.format,
      { ascii: `progress-${report.jurisdiction}-${day}`, zh: `双周进度-${report.jurisdiction}-${day}`, sheet: '双周进度' },
      REPORT_COLUMNS,
      report.rows,
      null,
    );
  }

  @Get('assessment')
  async assessment(@CurrentUser() user: AuthUser, @Query() query: unknown, @Res({ passthrough: true }) res: Response) {
    const r = routes.assessmentReport;
    assertRouteAccess(user, r);
    const q = validate(r.query, query, 'query');
    const report = await this.reports.assessment(user, q);
    if (q.format === 'json') return report;
    const label = report.period.label;
    return sendExport(
      res,
      q.format,
      { ascii: `assessment-${report.jurisdiction}-${label}`, zh: `季度考核-${report.jurisdiction}-${label}`, sheet: '季度考核' },
      REPORT_COLUMNS,
      report.rows,
      null,
    );
  }
}
