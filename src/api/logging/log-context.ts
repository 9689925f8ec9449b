import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logging/logger';

/**
 * The logger of the request being served (a child carrying its request id), for code that logs
 * through Nest's `Logger` without seeing the request (services, the problem filter).
 */
const requestLog = new AsyncLocalStorage<Logger>();

export const currentRequestLog = (): Logger | undefined => requestLog.getStore();

export function withRequestLog<T>(log: Logger, run: () => T): T {
  return requestLog.run(log, run);
}

/**
 * Enters the request's logger for everything after it. Mounted after the body parsers: they read
 * the body in the socket's callbacks, which would run the rest of the chain outside the context.
 */
export function bindRequestLog(req: Request, _res: Response, next: NextFunction): void {
  const log = (req as Request & { log?: Logger }).log;
  if (log) requestLog.run(log, next);
  else next();
}
