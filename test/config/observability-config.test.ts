import { ConfigError, loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { temporalLogger, workerRuntimeOptions } from '../../src/worker/runtime-options';

const DB = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' };

function refused(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({ ...DB, ...env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration of logs and metrics (LOG_LEVEL, WORKER_METRICS_*)', () => {
  it('logs at info by default, takes a level of its own, and refuses another word naming LOG_LEVEL', () => {
    expect(loadConfig(DB).logLevel).toBe('info');
    expect(loadConfig({ ...DB, LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(refused({ LOG_LEVEL: 'verbose' })).toMatch(/LOG_LEVEL/);
  });

  it('serves no worker metrics and reads none unless told; refuses a port or URL that is not one', () => {
    expect(loadConfig(DB)).toMatchObject({ workerMetricsPort: undefined, workerMetricsUrl: undefined });
    expect(loadConfig({ ...DB, WORKER_METRICS_PORT: '9464', WORKER_METRICS_URL: 'http://worker:9464/metrics' })).toMatchObject({
      workerMetricsPort: 9464,
      workerMetricsUrl: 'http://worker:9464/metrics',
    });
    expect(refused({ WORKER_METRICS_PORT: 'ninety' })).toMatch(/WORKER_METRICS_PORT/);
    expect(refused({ WORKER_METRICS_PORT: '70000' })).toMatch(/WORKER_METRICS_PORT/);
    expect(refused({ WORKER_METRICS_URL: 'worker:9464' })).toMatch(/WORKER_METRICS_URL/);
    expect(refused({ WORKER_METRICS_URL: 'ftp://worker/metrics' })).toMatch(/WORKER_METRICS_URL/);
  });
});

describe("the worker's Temporal Runtime options", () => {
  const log = createLogger({ process: 'worker', level: 'silent' });

  it('install the Prometheus exporter on HOST:WORKER_METRICS_PORT when set, in seconds and with _total counters', () => {
    const options = workerRuntimeOptions(loadConfig({ ...DB, WORKER_METRICS_PORT: '9464' }), log);
    expect(options.telemetryOptions?.metrics).toEqual({
      prometheus: { bindAddress: '127.0.0.1:9464', countersTotalSuffix: true, useSecondsForDurations: true },
    });
    const inContainer = workerRuntimeOptions(loadConfig({ ...DB, HOST: '0.0.0.0', WORKER_METRICS_PORT: '9100' }), log);
    expect(inContainer.telemetryOptions?.metrics).toMatchObject({ prometheus: { bindAddress: '0.0.0.0:9100' } });
    const v6 = workerRuntimeOptions(loadConfig({ ...DB, HOST: '::', WORKER_METRICS_PORT: '9100' }), log);
    expect(v6.telemetryOptions?.metrics).toMatchObject({ prometheus: { bindAddress: '[::]:9100' } });
  });

  it('install no exporter when WORKER_METRICS_PORT is unset', () => {
    expect(workerRuntimeOptions(loadConfig(DB), log).telemetryOptions?.metrics).toBeUndefined();
  });

  it("forward Core's logs to the process's logger: warnings and errors, everything from debug with LOG_LEVEL=debug", () => {
    expect(workerRuntimeOptions(loadConfig(DB), log).telemetryOptions?.logging).toEqual({ filter: { core: 'WARN', other: 'ERROR' }, forward: {} });
    expect(workerRuntimeOptions(loadConfig({ ...DB, LOG_LEVEL: 'debug' }), log).telemetryOptions?.logging).toMatchObject({ filter: { core: 'DEBUG' } });
  });

  it("write the SDK's lines as JSON through pino, an error as `err`, personal data redacted", () => {
    const chunks: string[] = [];
    const pinoLog = createLogger({ process: 'worker', level: 'debug', destination: { write: (s: string) => void chunks.push(s) } });
    const sdk = temporalLogger(pinoLog);
    sdk.info('Workflow started', { workflowId: 'case-1', sdkComponent: 'workflow' });
    sdk.log('WARN', 'Activity failed', { activityType: 'recordStep', error: new Error('connection reset'), household: { members: [{ name: 'Zhang San' }] } });
    sdk.trace('below debug');
    const lines = chunks.map((c) => JSON.parse(c));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Workflow started', workflowId: 'case-1', sdkComponent: 'workflow' }),
      expect.objectContaining({
        level: 'warn',
        msg: 'Activity failed',
        activityType: 'recordStep',
        err: expect.objectContaining({ message: 'connection reset' }),
      }),
    ]);
    expect(chunks.join('')).not.toContain('Zhang San');
  });
});
