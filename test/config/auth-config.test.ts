import { ConfigError, loadConfig } from '../../src/config/config';

const DB = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' };

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration of log-in (issue #12)', () => {
  it('has the defaults of the contract, and no first administrator without ADMIN_PASSWORD', () => {
    expect(loadConfig(DB).auth).toEqual({
      maxFailures: 5,
      failureWindowMs: 15 * 60_000,
      lockMs: 15 * 60_000,
      sessionMs: 12 * 3_600_000,
      firstAdmin: undefined,
      demoPassword: 'demo-password-2026',
    });
  });

  it('takes the first administrator from ADMIN_*', () => {
    const env = { ...DB, ADMIN_PASSWORD: 'long-enough-1', ADMIN_USERNAME: 'root-admin', ADMIN_COUNTY_CODE: '522799', ADMIN_COUNTY_NAME: '测试县' };
    expect(loadConfig(env).auth.firstAdmin).toEqual({ username: 'root-admin', password: 'long-enough-1', countyCode: '522799', countyName: '测试县' });
    expect(loadConfig({ ...DB, ADMIN_PASSWORD: 'long-enough-1' }).auth.firstAdmin?.username).toBe('admin');
  });

  it('refuses a short ADMIN_PASSWORD, a bad username or county, naming each and never repeating the password', () => {
    const message = refusal({ ...DB, ADMIN_PASSWORD: 'short-pw', ADMIN_USERNAME: 'Bad Name', ADMIN_COUNTY_CODE: '52270' });
    expect(message).toMatch(/ADMIN_PASSWORD: at least 10 characters/);
    expect(message).toMatch(/ADMIN_USERNAME/);
    expect(message).toMatch(/ADMIN_COUNTY_CODE/);
    expect(message).not.toContain('short-pw');
    expect(refusal({ ...DB, LOGIN_MAX_FAILURES: '0' })).toMatch(/LOGIN_MAX_FAILURES/);
    expect(refusal({ ...DB, ADMIN_COUNTY_NAME: '测试县' })).toMatch(/ADMIN_COUNTY_NAME: given without ADMIN_COUNTY_CODE/);
  });
});
