import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { RuntimeOptions } from '@temporalio/worker';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';

const LEVELS: Record<TemporalLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The SDK's logger (its own lines, workflows' and activities' `log`, and Core's, forwarded) as
 * JSON lines of the process's logger. An error in the metadata is logged as `err` (type, message,
 * code, stack: see errorFields), the rest as fields, redacted as every line is.
 */
export function temporalLogger(log: Logger): TemporalLogger {
  const write = (level: TemporalLogLevel, message: string, meta?: LogMetadata) => {
    const { error, ...rest } = meta ?? {};
    log[LEVELS[level] ?? 'info']({ ...rest, ...(error === undefined ? {} : { err: error }) }, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}

/**
 * How the worker process installs Temporal's Runtime: the SDK's and Core's logs through pino
 * (warnings and errors only, unless LOG_LEVEL=debug: the SDK reports every state change at INFO),
 * and, when WORKER_METRICS_PORT is set, Core's Prometheus exporter on HOST:port (/metrics), with
 * durations in seconds and counters ending in _total as Prometheus names them.
 */
export function workerRuntimeOptions(config: Pick<Config, 'logLevel' | 'host' | 'workerMetricsPort'>, log: Logger): RuntimeOptions {
  const level: TemporalLogLevel = config.logLevel === 'debug' ? 'DEBUG' : config.logLevel === 'error' ? 'ERROR' : 'WARN';
  const sdkLog = log.child({ component: 'temporal' }, { level: LEVELS[level] });
  return {
    logger: temporalLogger(sdkLog),
    telemetryOptions: {
      logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
      ...(config.workerMetricsPort === undefined
        ? {}
        : {
            metrics: {
              prometheus: { bindAddress: bindAddress(config.host, config.workerMetricsPort), countersTotalSuffix: true, useSecondsForDurations: true },
            },
          }),
    },
  };
}

/** host:port, with an IPv6 host in brackets. */
const bindAddress = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
