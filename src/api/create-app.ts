import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type ApiDeps } from './app.module';
import { codecCors } from './codec/codec-cors';

/** Builds the Nest application (shared by main.ts and the API tests). */
export async function createApp(deps: ApiDeps, { logger = true }: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(deps), {
    logger: logger ? ['error', 'warn', 'log'] : false,
    bodyParser: true,
  });
  app.useBodyParser('json', { limit: '5mb' });
  app.useBodyParser('text', { type: 'text/csv', limit: '20mb' }); // bulk intake uploads
  app.disable('x-powered-by');
  app.use('/codec', codecCors(deps.config.codecCorsOrigins)); // before the routes: answers the UI's preflight
  return app;
}
