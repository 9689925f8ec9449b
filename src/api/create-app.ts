import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { createLogger, type Logger } from '../logging/logger';
import { AppModule, type ApiDeps } from './app.module';
import { checkJsonBody, scanJsonBody } from './http/json-body';
import { answerClientErrorsAsProblems } from './http/client-error';
import { MediaTypeInterceptor } from './http/media-type.interceptor';
import { codecCors } from './codec/codec-cors';
import { MAX_XLSX_BYTES, XLSX_TYPE } from './contract/intake-schemas';
import { bindRequestLog } from './logging/log-context';
import { PinoNestLogger } from './logging/nest-logger';
import { requestLogging } from './logging/request-logging';
import { MetricsService } from './metrics/metrics.service';
import { serveConsole } from './http/console-static';
import { answerMethodsOfLiteralPaths } from './http/allowed-methods';

/**
 * Builds the Nest application (shared by main.ts and the API tests). `logger`: true, JSON lines
 * on stdout at LOG_LEVEL; false, nothing (tests); or a logger of the caller's (tests capturing
 * what would be written).
 */
export async function createApp(deps: ApiDeps, { logger = true }: { logger?: boolean | Logger } = {}): Promise<NestExpressApplication> {
  const log = typeof logger === 'object' ? logger : createLogger({ process: 'api', level: logger ? deps.config.logLevel : 'silent' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(deps), {
    logger: logger === false ? false : new PinoNestLogger(log),
    bodyParser: true,
  });
  // First: every request gets its id (X-Request-Id) and its line when it ends, and is timed.
  app.use(requestLogging(log));
  app.use(app.get(MetricsService).http.middleware);
  // Nest's typing hides `verify` (it uses it for its rawBody option, which is off here); the
  // hook sees the raw bytes, where `1.0` still differs from `1` and a key given twice is seen
  // (http/json-body.ts); what it finds is refused or marked right after parsing.
  const json = { limit: '5mb', verify: scanJsonBody };
  app.useBodyParser('json', json);
  app.use(checkJsonBody);
  // Bulk intake uploads, as bytes: a CSV's charset is decided by the intake (UTF-8 or GB18030), an .xlsx is a zip.
  app.useBodyParser('raw', { type: 'text/csv', limit: '20mb' });
  app.useBodyParser('raw', { type: XLSX_TYPE, limit: MAX_XLSX_BYTES });
  app.use(bindRequestLog); // after the body parsers (see log-context.ts)
  app.disable('x-powered-by');
  // Outermost of the interceptors (before the Idempotency-Key's): a body of a type the route does not take is 415.
  app.useGlobalInterceptors(new MediaTypeInterceptor());
  // A request Node cannot parse (e.g. headers over 16 KB: 431) is answered as problem+json too.
  answerClientErrorsAsProblems(app.getHttpServer() as Server);
  app.use('/codec', codecCors(deps.config.codecCorsOrigins)); // before the routes: answers the UI's preflight
  serveConsole(app); // the web console at `/`, before the routes but never on their paths
  app.use(answerMethodsOfLiteralPaths); // before the routes: a parameter route must not take a literal path's other methods
  return app;
}
