import { authHarness, userEvents, type AuthHarness } from '../support/auth-harness';

const SHIBAN = '522701101201';
const BAIYUN = '522701102201';
const HEPING = '522701101';
const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path).sort();

/** Issue #12: administrators manage users and the jurisdiction tree within their own jurisdiction. */
describe('user and jurisdiction administration (real Postgres)', () => {
  let api: AuthHarness;
  beforeAll(async () => {
    api = await authHarness();
  });
  afterAll(() => api?.close());

  const userCount = async () => Number((await api.db.pool.query('SELECT count(*) FROM users')).rows[0].count);
  const jurisdictionCount = async () => Number((await api.db.pool.query('SELECT count(*) FROM jurisdictions')).rows[0].count);
  const create = (as: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => api.call('POST', '/users', { as, body, headers });
  const official = (username: string, jurisdiction = SHIBAN) => ({
    username,
    name: '石板村文书',
    role: 'village_official',
    jurisdiction,
    password: 'a-good-long-password',
  });

  it('a county administrator creates a user in the county, who can then log in; recorded as UserCreated', async () => {
    const r = await create('county-admin', official('shiban-clerk'));
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      userId: 'shiban-clerk',
      username: 'shiban-clerk',
      name: '石板村文书',
      role: 'village_official',
      jurisdiction: SHIBAN,
      active: true,
      hasPassword: true,
      lockedUntil: null,
      createdAt: expect.any(String),
    });
    expect((await api.login('shiban-clerk', 'a-good-long-password')).status).toBe(200);
    expect(await userEvents(api.db, 'shiban-clerk')).toEqual([
      { type: 'UserCreated', data: { userId: 'shiban-clerk', name: '石板村文书', role: 'village_official', jurisdiction: SHIBAN, by: 'county-admin' } },
      { type: 'LoggedIn', data: { userId: 'shiban-clerk', sessionExpiresAt: expect.any(String) } },
    ]);
    const again = await create('county-admin', official('shiban-clerk'));
    expect([again.status, again.body.type]).toEqual([409, expect.stringMatching(/conflict$/)]);
  });

  it('refuses a user outside the administrator’s jurisdiction (403), and a town administrator above its town', async () => {
    const before = await userCount();
    expect((await create('town-admin-dongfeng', official('heping-outsider', SHIBAN))).status).toBe(403);
    expect((await create('town-admin-dongfeng', { ...official('county-level', '522701'), role: 'administrator' })).status).toBe(403);
    expect((await create('county-admin', official('other-county', '522702101201'))).status).toBe(403);
    const inTown = await create('town-admin-dongfeng', official('baiyun-clerk', BAIYUN));
    expect(inTown.status).toBe(201);
    // An administrator for its own town is within reach; the county above is not.
    expect((await create('town-admin-dongfeng', { ...official('dongfeng-admin-2', '522701102'), role: 'administrator' })).status).toBe(201);
    expect(await userCount()).toBe(before + 2);
    // Nor may it see or touch users outside its town.
    expect((await api.call('GET', `/users?jurisdiction=${SHIBAN}`, { as: 'town-admin-dongfeng' })).status).toBe(403);
    const listed = await api.call('GET', '/users?limit=100', { as: 'town-admin-dongfeng' });
    expect(listed.status).toBe(200);
    expect(listed.body.items.every((u: { jurisdiction: string }) => u.jurisdiction.startsWith('522701102'))).toBe(true);
    expect((await api.call('PATCH', '/users/village-shiban', { as: 'town-admin-dongfeng', body: { active: false } })).status).toBe(403);
    expect((await api.call('POST', '/users/village-shiban/password', { as: 'town-admin-dongfeng', body: { password: 'x'.repeat(12) } })).status).toBe(403);
  });

  it('refuses every role but administrator (403), and the operator role even to an administrator', async () => {
    for (const as of ['county-office', 'supervisor', 'auditor', 'operator', 'village-shiban', 'applicant-shiban-1']) {
      expect({ as, status: (await create(as, official(`by-${as}`))).status }).toEqual({ as, status: 403 });
      expect({ as, status: (await api.call('GET', '/users', { as })).status }).toEqual({ as, status: 403 });
    }
    expect((await create('county-admin', { ...official('new-operator', '522701'), role: 'operator' })).status).toBe(403);
  });

  it('an administrator cannot deactivate himself or change his own role', async () => {
    expect((await api.call('PATCH', '/users/county-admin', { as: 'county-admin', body: { active: false } })).status).toBe(403);
    expect((await api.call('PATCH', '/users/county-admin', { as: 'county-admin', body: { role: 'county_official' } })).status).toBe(403);
    expect((await api.call('GET', '/auth/me', { as: 'county-admin' })).status).toBe(200);
    const renamed = await api.call('PATCH', '/users/county-admin', { as: 'county-admin', body: { name: '县管理员' } });
    expect([renamed.status, renamed.body.name]).toEqual([200, '县管理员']);
  });

  it('changes a user’s role and jurisdiction (effective at once), recorded as UserChanged', async () => {
    expect((await create('county-admin', official('mover'))).status).toBe(201);
    const token = (await api.login('mover', 'a-good-long-password')).body.token;
    const moved = await api.call('PATCH', '/users/mover', { as: 'county-admin', body: { role: 'town_official', jurisdiction: HEPING } });
    expect([moved.status, moved.body.role, moved.body.jurisdiction]).toEqual([200, 'town_official', HEPING]);
    expect((await api.call('GET', '/auth/me', { as: token })).body).toMatchObject({
      role: 'town_official',
      jurisdiction: HEPING,
      jurisdictionName: 'Heping Town',
    });
    expect((await userEvents(api.db, 'mover')).at(-1)).toEqual({
      type: 'UserChanged',
      data: { userId: 'mover', by: 'county-admin', role: 'town_official', jurisdiction: HEPING },
    });
    const unknown = await api.call('PATCH', '/users/mover', { as: 'county-admin', body: { jurisdiction: '522701101299' } });
    expect([unknown.status, paths(unknown)]).toEqual([400, ['body.jurisdiction']]);
    expect((await api.call('PATCH', '/users/nobody-at-all', { as: 'county-admin', body: { name: 'x' } })).status).toBe(404);
  });

  it('resets a password: the old one stops working, the lock-out is lifted, sessions end', async () => {
    expect((await create('county-admin', official('forgetful'))).status).toBe(201);
    const session = (await api.login('forgetful', 'a-good-long-password')).body.token;
    for (let i = 0; i < 5; i++) await api.login('forgetful', `wrong-guess-${i}`);
    expect((await api.login('forgetful', 'a-good-long-password')).status).toBe(423);
    const reset = await api.call('POST', '/users/forgetful/password', { as: 'county-admin', body: { password: 'a-brand-new-password' } });
    expect([reset.status, reset.body.userId]).toEqual([200, 'forgetful']);
    expect((await api.call('GET', '/auth/me', { as: session })).status).toBe(401);
    expect((await api.login('forgetful', 'a-good-long-password')).status).toBe(401);
    expect((await api.login('forgetful', 'a-brand-new-password')).status).toBe(200);
    const types = (await userEvents(api.db, 'forgetful')).map((e) => e.type);
    expect(types).toContain('PasswordReset');
    expect(types.at(-1)).toBe('LoggedIn');
  });

  it('holds new passwords to at least 10 characters, naming the field', async () => {
    const before = await userCount();
    const short = await create('county-admin', { ...official('short-pw'), password: 'short' });
    expect(short.status).toBe(400);
    expect(short.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(short.body.errors).toEqual([{ path: 'body.password', message: expect.stringContaining('10') }]);
    const resetShort = await api.call('POST', '/users/village-shiban/password', { as: 'county-admin', body: { password: '123456789' } });
    expect([resetShort.status, paths(resetShort)]).toEqual([400, ['body.password']]);
    expect(await userCount()).toBe(before);
  });

  it('refuses hostile input with 400 naming each field, and writes nothing', async () => {
    const users = await userCount();
    const events = Number((await api.db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const control = await create('county-admin', { ...official('ctl-user'), name: 'Li\u0007Si' });
    expect([control.status, paths(control)]).toEqual([400, ['body.name']]);
    const nul = await api.call('POST', '/users', {
      as: 'county-admin',
      raw: JSON.stringify({ ...official('nul-user'), password: 'pass\u0000word-long' }).replace('nul-user', 'nul\\u0000user'),
    });
    expect([nul.status, paths(nul)]).toEqual([400, ['body.password', 'body.username']]);
    const huge = await create('county-admin', { ...official('huge-user'), name: '名'.repeat(100_000), password: 'p'.repeat(100_000) });
    expect([huge.status, paths(huge)]).toEqual([400, ['body.name', 'body.password']]);
    const types = await create('county-admin', { username: 7, name: null, role: 'king', jurisdiction: 522701, password: true });
    expect([types.status, paths(types)]).toEqual([400, ['body.jurisdiction', 'body.name', 'body.password', 'body.role', 'body.username']]);
    const patch = await api.call('PATCH', '/users/village-shiban', { as: 'county-admin', body: { active: 'no', name: 'Li\u2028Si' } });
    expect([patch.status, paths(patch)]).toEqual([400, ['body.active', 'body.name']]);
    const empty = await api.call('PATCH', '/users/village-shiban', { as: 'county-admin', body: {} });
    expect(empty.status).toBe(400);
    const badTree = await api.call('POST', '/jurisdictions', { as: 'county-admin', body: { code: '5227011019', name: '\u0000', level: 'hamlet' } });
    expect([badTree.status, paths(badTree)]).toEqual([400, ['body.code', 'body.level', 'body.name']]);
    expect(await userCount()).toBe(users);
    expect(Number((await api.db.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(events);
  });

  it('an Idempotency-Key replays the first answer and creates one user', async () => {
    const headers = { 'idempotency-key': 'create-repeat-1' };
    const first = await create('county-admin', official('once-only'), headers);
    const second = await create('county-admin', official('once-only'), headers);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await userEvents(api.db, 'once-only')).filter((e) => e.type === 'UserCreated')).toHaveLength(1);
  });

  it('lists users page by page within the jurisdiction', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { userId: string; jurisdiction: string }[]; nextCursor: string | null } } = await api.call(
        'GET',
        `/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'county-admin' },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((u) => u.userId));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = (await api.db.pool.query("SELECT user_id FROM users WHERE jurisdiction LIKE '522701%' ORDER BY user_id")).rows.map((r) => r.user_id);
    expect(seen).toEqual(all);
  });

  describe('the jurisdiction tree', () => {
    it('an administrator adds a town and a village with Chinese names and renames them; everyone reads the names within their own', async () => {
      const town = await api.call('POST', '/jurisdictions', {
        as: 'county-admin',
        body: { code: '522701103', name: '新桥镇', level: 'town', parentCode: '522701' },
      });
      expect([town.status, town.body]).toEqual([201, { code: '522701103', name: '新桥镇', level: 'town', parentCode: '522701' }]);
      const village = await api.call('POST', '/jurisdictions', {
        as: 'county-admin',
        body: { code: '522701103201', name: '  新桥村  ', level: 'village', parentCode: '522701103' },
      });
      expect([village.status, village.body.name]).toEqual([201, '新桥村']);
      const renamed = await api.call('PATCH', '/jurisdictions/522701103201', { as: 'county-admin', body: { name: '新桥村（更名）' } });
      expect([renamed.status, renamed.body.name]).toEqual([200, '新桥村（更名）']);
      const rootRenamed = await api.call('PATCH', '/jurisdictions/522701', { as: 'county-admin', body: { name: '青山县' } });
      expect([rootRenamed.status, rootRenamed.body.name]).toEqual([200, '青山县']);
      // A user can be placed in the new village at once.
      expect((await create('county-admin', official('xinqiao-clerk', '522701103201'))).status).toBe(201);

      const forCounty = (await api.call('GET', '/jurisdictions', { as: 'county-office' })).body.items;
      expect(forCounty).toEqual(expect.arrayContaining([{ code: '522701103201', name: '新桥村（更名）', level: 'village', parentCode: '522701103' }]));
      const forVillage = await api.call('GET', '/jurisdictions', { as: 'applicant-shiban-1' });
      expect(forVillage.body.items).toEqual([{ code: SHIBAN, name: 'Shiban Village', level: 'village', parentCode: HEPING }]);
      const forTown = (await api.call('GET', '/jurisdictions', { as: 'town-heping' })).body.items.map((j: { code: string }) => j.code);
      expect(forTown).toEqual([HEPING, SHIBAN, '522701101202']);
      // The settings routes under the same path still answer.
      expect((await api.call('GET', '/jurisdictions/522701103201/settings', { as: 'county-office' })).status).toBe(200);
    });

    it('refuses a tree edit outside the administrator’s jurisdiction, a code in the wrong place, a taken code, and non-administrators', async () => {
      const before = await jurisdictionCount();
      const outside = await api.call('POST', '/jurisdictions', {
        as: 'town-admin-dongfeng',
        body: { code: '522701101209', name: '外村', level: 'village', parentCode: HEPING },
      });
      expect(outside.status).toBe(403);
      expect((await api.call('POST', '/jurisdictions', { as: 'county-admin', body: { code: '522702', name: '邻县', level: 'county' } })).status).toBe(403);
      expect((await api.call('PATCH', `/jurisdictions/${SHIBAN}`, { as: 'town-admin-dongfeng', body: { name: '改名' } })).status).toBe(403);
      expect((await api.call('PATCH', `/jurisdictions/${SHIBAN}`, { as: 'county-office', body: { name: '改名' } })).status).toBe(403);
      const wrongParent = await api.call('POST', '/jurisdictions', {
        as: 'county-admin',
        body: { code: '522701101210', name: '错村', level: 'village', parentCode: '522701102' },
      });
      expect([wrongParent.status, paths(wrongParent)]).toEqual([400, ['body.parentCode']]);
      const wrongLevel = await api.call('POST', '/jurisdictions', {
        as: 'county-admin',
        body: { code: '522701101210', name: '错村', level: 'town', parentCode: HEPING },
      });
      expect([wrongLevel.status, paths(wrongLevel)]).toEqual([400, ['body.level']]);
      const orphan = await api.call('POST', '/jurisdictions', {
        as: 'county-admin',
        body: { code: '522701109201', name: '孤村', level: 'village', parentCode: '522701109' },
      });
      expect([orphan.status, paths(orphan)]).toEqual([400, ['body.parentCode']]);
      const taken = await api.call('POST', '/jurisdictions', {
        as: 'county-admin',
        body: { code: SHIBAN, name: '石板村', level: 'village', parentCode: HEPING },
      });
      expect(taken.status).toBe(409);
      expect((await api.call('PATCH', '/jurisdictions/522701101299', { as: 'county-admin', body: { name: '无' } })).status).toBe(404);
      expect(await jurisdictionCount()).toBe(before);
    });
  });
});
