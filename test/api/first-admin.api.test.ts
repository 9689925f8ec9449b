import { createTestDatabase, type TestDatabase } from '../support/db';
import { authHarness, userEvents } from '../support/auth-harness';

const FIRST = 'first-admin-password-1';

/** Issue #12: `docker compose up` on an empty database can be logged in to (ADMIN_PASSWORD at API start). */
describe('the first administrator (ADMIN_PASSWORD at API start, real Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('is created on a fresh database with its county, and can log in and build the tree', async () => {
    const env = { ADMIN_PASSWORD: FIRST, ADMIN_COUNTY_CODE: '522799', ADMIN_COUNTY_NAME: '测试县' };
    const api = await authHarness({ db, env });
    try {
      const r = await api.login('admin', FIRST);
      expect(r.status).toBe(200);
      expect(r.body.user).toEqual({ userId: 'admin', name: expect.any(String), role: 'administrator', jurisdiction: '522799' });
      const me = await api.call('GET', '/auth/me', { as: r.body.token });
      expect(me.body.jurisdictionName).toBe('测试县');
      const town = await api.call('POST', '/jurisdictions', {
        as: r.body.token,
        body: { code: '522799101', name: '第一镇', level: 'town', parentCode: '522799' },
      });
      expect(town.status).toBe(201);
      expect((await userEvents(db, 'admin')).map((e) => e.type)).toEqual(['UserCreated', 'LoggedIn']);
    } finally {
      await api.stop();
    }
  });

  it('a second start (even with another ADMIN_PASSWORD) changes nothing', async () => {
    const hash = async () => (await db.pool.query("SELECT password_hash FROM users WHERE user_id = 'admin'")).rows[0].password_hash;
    const before = await hash();
    for (const password of [FIRST, 'a-different-password-2']) {
      const api = await authHarness({ db, env: { ADMIN_PASSWORD: password, ADMIN_COUNTY_CODE: '522799' } });
      try {
        expect((await api.login('admin', FIRST)).status).toBe(200);
        if (password !== FIRST) expect((await api.login('admin', password)).status).toBe(401);
      } finally {
        await api.stop();
      }
    }
    expect(await hash()).toBe(before);
    expect(Number((await db.pool.query("SELECT count(*) FROM users WHERE role = 'administrator'")).rows[0].count)).toBe(1);
    expect((await userEvents(db, 'admin')).filter((e) => e.type === 'UserCreated')).toHaveLength(1);
  });

  it('refuses to start without a county to put it in, naming ADMIN_COUNTY_CODE; never echoes the password', async () => {
    const empty = await createTestDatabase();
    try {
      const secret = 'never-printed-password';
      const failed = await authHarness({ db: empty, env: { ADMIN_PASSWORD: secret } }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(failed?.message).toMatch(/ADMIN_COUNTY_CODE/);
      expect(failed?.message).not.toContain(secret);
      expect(Number((await empty.pool.query('SELECT count(*) FROM users')).rows[0].count)).toBe(0);
    } finally {
      await empty.drop();
    }
  });
});
