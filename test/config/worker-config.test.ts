import { ConfigError, WORKER_MAX_CACHED_WORKFLOWS_DEFAULT, loadConfig } from '../../src/config/config';

const DB = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' };

describe('configuration of the worker (WORKER_*)', () => {
  it('bounds the workflow cache by default, and takes a size of its own', () => {
    expect(loadConfig(DB).worker.maxCachedWorkflows).toBe(WORKER_MAX_CACHED_WORKFLOWS_DEFAULT);
    expect(loadConfig({ ...DB, WORKER_MAX_CACHED_WORKFLOWS: '250' }).worker.maxCachedWorkflows).toBe(250);
  });

  it('refuses a cache smaller than the workflow task slots, or not a count, naming the setting', () => {
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ ...DB, ...env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('the configuration was accepted');
    };
    expect(refused({ WORKER_WORKFLOW_TASK_SLOTS: '16', WORKER_MAX_CACHED_WORKFLOWS: '10' })).toMatch(
      /WORKER_MAX_CACHED_WORKFLOWS: at least WORKER_WORKFLOW_TASK_SLOTS/,
    );
    expect(refused({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toMatch(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(refused({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toMatch(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
