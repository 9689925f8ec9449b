import type { LoggerService } from '@nestjs/common';
import type { Logger } from '../../logging/logger';
import { currentRequestLog } from './log-context';

/** Nest's start-up chatter (every module and route it wires): debug, not info. */
const BOOTSTRAP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Nest's logger (every `new Logger(context)` in the API) writing to pino: the request's logger
 * while a request is served (so its lines carry the request id), the process's otherwise.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    this.write(context && BOOTSTRAP_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: unknown, params: unknown[]): void {
    const log = currentRequestLog() ?? this.root;
    const context = contextOf(params);
    const fields = context ? { context } : {};
    if (message instanceof Error) log[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') log[level](fields, message);
    else log[level]({ ...fields, data: message }, 'data'); // as fields, so that redaction applies to it
  }
}

/** Nest passes the context (the name given to `new Logger(…)`) as the last parameter. */
const contextOf = (params: unknown[]): string | undefined => {
  const last = params[params.length - 1];
  return typeof last === 'string' ? last : undefined;
};
