import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Fields that may hold personal data or secrets, wherever an object logged by mistake puts them
 * (up to three levels deep). The request and response serializers below already log none of
 * them; this is the net under that. Bodies are never logged, so `body` is on the list too.
 */
const SENSITIVE = [
  'authorization',
  'cookie',
  'password',
  'token',
  'secret',
  'body',
  'idNumber',
  'id_number',
  'idHash',
  'name',
  'phone',
  'phoneNumber',
  'household',
  'members',
  'accountNumber',
  'account_number',
  'bankAccount',
  'address',
];
export const REDACTED_PATHS = SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

/**
 * Errors as type, message, code and stack only: a driver's error carries more (Postgres' `detail`
 * repeats the values of a row, a gRPC error its metadata), which stays out of the logs.
 */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, message: err.message, ...(code === undefined ? {} : { code: String(code) }), stack: err.stack };
}

/**
 * The one JSON logger of a process: one object per line on stdout (or `destination`, which tests
 * capture), ISO timestamps, level names, the process's name on every line, personal data redacted.
 */
export function createLogger(opts: { process: string; level: LogLevel | 'silent'; destination?: DestinationStream }): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    base: { process: opts.process },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    serializers: { err: errorFields },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  // pino's own stdout is synchronous: a line is out before the next statement (and before a crash).
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
