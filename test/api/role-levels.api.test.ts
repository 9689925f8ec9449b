import { DEMO_JURISDICTIONS, DEMO_USERS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import { newToken } from '../../src/directory/tokens';
import type { Role } from '../../src/domain/roles';
import { authHarness, userEvents, type AuthHarness } from '../support/auth-harness';
import { createTestDatabase } from '../support/db';

const COUNTY = '522701';
const HEPING = '522701101';
const SHIBAN = '522701101201';
const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path).sort();

/** A role is held only at its level: administrators cannot grant otherwise, and the API deactivates anyone who already is. */
describe('role and place agree (real Postgres)', () => {
  let api: AuthHarness;
  beforeAll(async () => {
    api = await authHarness();
  });
  afterAll(() => api?.close());

  const counts = async () => {
    const users = Number((await api.db.pool.query('SELECT count(*) FROM users')).rows[0].count);
    // A 403 is recorded as an AccessDenied (the audit of refusals); nothing else may be.
    const events = Number((await api.db.pool.query("SELECT count(*) FROM events WHERE type <> 'AccessDenied'")).rows[0].count);
    return { users, events };
  };
  const user = (username: string, role: Role, jurisdiction: string) => ({ username, name: '测试用户', role, jurisdiction, password: 'a-good-long-password' });
  const create = (body: unknown, as = 'county-admin') => api.call('POST', '/users', { as, body });

  it('refuses a role at another level (422 naming body.jurisdiction, Chinese first) and writes nothing', async () => {
    const before = await counts();
    const wrong: [Role, string][] = [
      ['village_official', COUNTY],
      ['village_official', HEPING],
      ['applicant', HEPING],
      ['town_official', SHIBAN],
      ['town_official', COUNTY],
      ['county_official', HEPING],
      ['county_official', SHIBAN],
      ['administrator', SHIBAN],
      ['supervisor', SHIBAN],
      ['auditor', SHIBAN],
      ['cashier', SHIBAN],
      ['helper', SHIBAN],
    ];
    for (const [role, jurisdiction] of wrong) {
      const r = await create(user(`wrong-${role}-${jurisdiction}`, role, jurisdiction));
      expect({ role, jurisdiction, status: r.status, paths: paths(r) }).toEqual({ role, jurisdiction, status: 422, paths: ['body.jurisdiction'] });
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(r.body.errors[0].message).toMatch(new RegExp(`^角色 ${role} 只能设在.*级行政区划 \\(the role ${role} is held only at a `));
    }
    expect(await counts()).toEqual(before);
  });

  it('creates each role at a level it takes', async () => {
    const right: [Role, string][] = [
      ['village_official', SHIBAN],
      ['town_official', HEPING],
      ['county_official', COUNTY],
      ['supervisor', HEPING],
      ['administrator', HEPING],
      ['cashier', HEPING],
    ];
    for (const [role, jurisdiction] of right) {
      const r = await create(user(`right-${role}-${jurisdiction}`, role, jurisdiction));
      expect({ role, jurisdiction, status: r.status }).toEqual({ role, jurisdiction, status: 201 });
    }
  });

  it('refuses a change that would put a role at another level, whether the role or the place moves, and records nothing', async () => {
    expect((await create(user('shiban-clerk-2', 'village_official', SHIBAN))).status).toBe(201);
    const before = await counts();
    const patch = (body: unknown) => api.call('PATCH', '/users/shiban-clerk-2', { as: 'county-admin', body });
    for (const body of [{ jurisdiction: COUNTY }, { jurisdiction: HEPING }, { role: 'town_official' }, { role: 'county_official', jurisdiction: HEPING }]) {
      const r = await patch(body);
      expect({ body, status: r.status, paths: paths(r) }).toEqual({ body, status: 422, paths: ['body.jurisdiction'] });
    }
    expect(await counts()).toEqual(before);
    const account = (await api.db.pool.query("SELECT role, jurisdiction FROM users WHERE user_id = 'shiban-clerk-2'")).rows[0];
    expect(account).toEqual({ role: 'village_official', jurisdiction: SHIBAN });
    // Role and place moving together to a level that fits is a change like any other.
    const moved = await patch({ role: 'town_official', jurisdiction: HEPING });
    expect([moved.status, moved.body.role, moved.body.jurisdiction]).toEqual([200, 'town_official', HEPING]);
  });

  it('refuses hostile jurisdictions naming the field: NUL, 100,000 characters, wrong types, another county; nothing recorded', async () => {
    const before = await counts();
    // [value, POST's status, PATCH's]: another county's code is outside the administrator's reach
    // (403) on creation, and a place this database does not hold (400) on a change.
    const hostile: [unknown, number, number][] = [
      ['522701\u0000101', 400, 400],
      ['5'.repeat(100_000), 400, 400],
      [522701101201, 400, 400],
      [[SHIBAN], 400, 400],
      [null, 400, 400],
      ['５２２７０１', 400, 400],
      ['522702101201', 403, 400],
      ['522702', 403, 400],
    ];
    for (const [jurisdiction, created, changed] of hostile) {
      const r = await create({ ...user('hostile-user', 'village_official', SHIBAN), jurisdiction });
      expect({ jurisdiction, status: r.status, paths: paths(r) }).toEqual({ jurisdiction, status: created, paths: ['body.jurisdiction'] });
      const p = await api.call('PATCH', '/users/village-shiban', { as: 'county-admin', body: { jurisdiction } });
      expect({ jurisdiction, status: p.status, paths: paths(p) }).toEqual({ jurisdiction, status: changed, paths: ['body.jurisdiction'] });
    }
    expect(await counts()).toEqual(before);
  });
});

/** As it starts, the API deactivates users whose role is at the wrong level, with an event saying why; never the county's last administrator. */
describe('the start-up check of role and place (real Postgres)', () => {
  const misplaced: { userId: string; role: Role; jurisdiction: string }[] = [
    { userId: 'county-wide-village-official', role: 'village_official', jurisdiction: COUNTY },
    { userId: 'village-town-official', role: 'town_official', jurisdiction: SHIBAN },
    { userId: 'town-county-official', role: 'county_official', jurisdiction: HEPING },
    { userId: 'village-administrator', role: 'administrator', jurisdiction: SHIBAN },
  ];

  it('deactivates each misplaced user once, ends its token, records UserDeactivated, and leaves everyone else alone', async () => {
    const db = await createTestDatabase();
    await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
    const tokens: Record<string, string> = {};
    const all = [...DEMO_USERS, ...misplaced.map((u) => ({ ...u, name: `${u.userId}` }))];
    await upsertUsers(
      db.pool,
      all.map((u) => ({ ...u, token: (tokens[u.userId] = newToken()) })),
    );
    let api = await authHarness({ db });
    try {
      const active = (await db.pool.query<{ user_id: string }>('SELECT user_id FROM users WHERE active ORDER BY user_id')).rows.map((r) => r.user_id);
      expect(active).toEqual(DEMO_USERS.map((u) => u.userId).sort());
      for (const u of misplaced) {
        expect(await userEvents(db, u.userId)).toEqual([
          { type: 'UserDeactivated', data: { userId: u.userId, by: 'system:role-levels', reason: 'role-level' } },
        ]);
        expect((await api.call('GET', '/auth/me', { as: tokens[u.userId] })).status).toBe(401);
      }
      expect((await api.call('GET', '/auth/me', { as: tokens['village-shiban'] })).status).toBe(200);
      expect(await userEvents(db, 'village-shiban')).toEqual([]);
      // Started again: nothing left to do, nothing recorded twice.
      await api.stop();
      const eventsBefore = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
      api = await authHarness({ db });
      expect(Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(eventsBefore);
      // An administrator reactivates one only at a place its role takes.
      const reactivate = (userId: string, body: object) => api.call('PATCH', `/users/${userId}`, { as: tokens['county-admin'], body });
      const asItWas = await reactivate('county-wide-village-official', { active: true });
      expect([asItWas.status, paths(asItWas)]).toEqual([422, ['body.jurisdiction']]);
      const placed = await reactivate('county-wide-village-official', { active: true, jurisdiction: SHIBAN });
      expect([placed.status, placed.body.active]).toEqual([200, true]);
      expect((await api.call('GET', '/auth/me', { as: tokens['county-wide-village-official'] })).body).toMatchObject({ jurisdiction: SHIBAN });
    } finally {
      await api.close();
    }
  });

  it('refuses to start rather than deactivate the only administrator over a county, and changes nothing', async () => {
    const db = await createTestDatabase();
    try {
      await upsertJurisdictions(db.pool, DEMO_JURISDICTIONS);
      await upsertUsers(db.pool, [
        { userId: 'lone-admin', name: 'x', role: 'administrator', jurisdiction: SHIBAN, token: newToken() },
        { userId: 'county-wide-village-official', name: 'x', role: 'village_official', jurisdiction: COUNTY, token: newToken() },
      ]);
      await expect(authHarness({ db })).rejects.toThrow(/lone-admin is the only active administrator over county 522701/);
      expect((await db.pool.query('SELECT user_id FROM users WHERE active ORDER BY user_id')).rows.map((r) => r.user_id)).toEqual([
        'county-wide-village-official',
        'lone-admin',
      ]);
      expect(Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
