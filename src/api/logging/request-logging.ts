import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../logging/logger';
import { methodLabel, routeTemplate } from '../metrics/route-template';
import { requestIdOf } from './request-id';

/** The request as logged: method and path only (no query, no headers, never the body). */
function requestFields(req: IncomingMessage) {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return { method: methodLabel(req.method), path: url.split('?')[0].slice(0, 200) };
}

/** The response as logged: its status and the route template it matched. */
function responseFields(res: ServerResponse) {
  return { status: res.statusCode, route: routeTemplate(res.req) };
}

/**
 * One line per request when it ends, and `req.log`: a child logger carrying the request id
 * (`requestId`), which the caller's X-Request-Id gives when sane (request-id.ts) and which the
 * response echoes. A 503 (Temporal or Postgres away a moment: the client retries) is a warning,
 * other 5xx errors; everything else is info.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    wrapSerializers: false,
    serializers: { req: requestFields, res: responseFields },
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => {
      if (res.statusCode === 503) return 'warn';
      return err || res.statusCode >= 500 ? 'error' : 'info';
    },
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    // What failed is logged where it was caught (the problem filter); pino-http's own error would say only "failed with status code".
    customErrorObject: (_req, _res, _err, fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'err')),
  });
}
