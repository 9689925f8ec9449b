import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { AppModule, type ApiDeps } from './app.module';
import { markFenLiterals, scanFenLiterals } from './http/fen-literals';
import { answerClientErrorsAsProblems } from './http/client-error';
import { MediaTypeInterceptor } from './http/media-type.interceptor';
import { codecCors } from './codec/codec-cors';
import { MAX_XLSX_BYTES, XLSX_TYPE } from './contract/intake-schemas';

/** Builds the Nest application (shared by main.ts and the API tests). */
export async function createApp(deps: ApiDeps, { logger = true }: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(deps), {
    logger: logger ? ['error', 'warn', 'log'] : false,
    bodyParser: true,
  });
  // Nest's typing hides `verify` (it uses it for its rawBody option, which is off here); the
  // hook sees the raw text, where `1.0` still differs from `1` (money: integer literals only).
  const json = { limit: '5mb', verify: scanFenLiterals };
  app.useBodyParser('json', json);
  app.use(markFenLiterals);
  // Bulk intake uploads, as bytes: a CSV's charset is decided by the intake (UTF-8 or GB18030), an .xlsx is a zip.
  app.useBodyParser('raw', { type: 'text/csv', limit: '20mb' });
  app.useBodyParser('raw', { type: XLSX_TYPE, limit: MAX_XLSX_BYTES });
  app.disable('x-powered-by');
  // Outermost of the interceptors (before the Idempotency-Key's): a body of a type the route does not take is 415.
  app.useGlobalInterceptors(new MediaTypeInterceptor());
  // A request Node cannot parse (e.g. headers over 16 KB: 431) is answered as problem+json too.
  answerClientErrorsAsProblems(app.getHttpServer() as Server);
  app.use('/codec', codecCors(deps.config.codecCorsOrigins)); // before the routes: answers the UI's preflight
  return app;
}
