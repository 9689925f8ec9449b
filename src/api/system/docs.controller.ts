import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { dirname, join } from 'node:path';
import { Public } from '../auth/public.decorator';
import { notFound } from '../http/problem';
import { buildOpenApi } from '../openapi/build-openapi';

// swagger-ui-dist ships the viewer's assets in the package: /docs works with no internet.
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png']);
const assetDir = (): string => dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Aid disbursement engine: API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });</script>
</body></html>`;

@Controller()
export class DocsController {
  private readonly document = buildOpenApi();

  @Public()
  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }

  @Public()
  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  docs(): string {
    return PAGE;
  }

  @Public()
  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.has(file)) throw notFound('that file');
    res.sendFile(join(assetDir(), file));
  }
}
