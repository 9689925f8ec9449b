import { authHarness, userEvents, type AuthHarness } from '../support/auth-harness';

const SHIBAN = '522701101201';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Issue #12: log-in, sessions, lock-out and deactivation, against real Postgres with the API's clock moved by the test. */
describe('log-in and sessions (real Postgres)', () => {
  let api: AuthHarness;
  /** Every password and token this file sends: none may appear in any event. */
  const secrets: string[] = [];

  beforeAll(async () => {
    api = await authHarness();
  });
  afterAll(() => api?.close());

  let n = 0;
  /** A new village official in Shiban with a password, made by the county administrator. */
  async function newUser(password = `pw-${Math.random().toString(36).slice(2)}-long`): Promise<{ username: string; password: string }> {
    const username = `official-${++n}-${Date.now().toString(36)}`;
    secrets.push(password);
    const r = await api.call('POST', '/users', {
      as: 'county-admin',
      body: { username, name: `石板村干部 ${n}`, role: 'village_official', jurisdiction: SHIBAN, password },
    });
    expect(r.status).toBe(201);
    return { username, password };
  }
  async function login(username: string, password: string) {
    secrets.push(password);
    const r = await api.login(username, password);
    if (r.status === 200) secrets.push(r.body.token);
    return r;
  }

  it('logs in with the right password: a token that works as a bearer token until its expiry', async () => {
    const u = await newUser();
    const r = await login(u.username, u.password);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toEqual({
      token: expect.any(String),
      expiresAt: expect.any(String),
      user: { userId: u.username, name: expect.stringMatching(/^石板村干部/), role: 'village_official', jurisdiction: SHIBAN },
    });
    const hours = (Date.parse(r.body.expiresAt) - api.now().getTime()) / HOUR;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const me = await api.call('GET', '/auth/me', { as: r.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ userId: u.username, name: r.body.user.name, role: 'village_official', jurisdiction: SHIBAN, jurisdictionName: 'Shiban Village' });
    // The session is an ordinary bearer token: the official's routes take it.
    expect((await api.call('GET', `/jurisdictions/${SHIBAN}/settings`, { as: r.body.token })).status).toBe(200);
    // Only its hash is stored.
    const stored = await api.db.pool.query('SELECT token_hash FROM sessions WHERE user_id = $1', [u.username]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0].token_hash).not.toContain(r.body.token);
    // The password only as an argon2id hash.
    const hash = (await api.db.pool.query('SELECT password_hash FROM users WHERE user_id = $1', [u.username])).rows[0].password_hash;
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(u.password);
    expect((await userEvents(api.db, u.username)).map((e) => e.type)).toEqual(['UserCreated', 'LoggedIn']);
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const u = await newUser();
    const wrong = await login(u.username, 'not-the-password');
    const unknown = await login('nobody-by-this-name', 'not-the-password');
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(r.body.type).toMatch(/invalid-credentials$/);
    }
    expect(unknown.body).toEqual(wrong.body);
    // Capitals and blanks around a username are forgiven.
    expect((await login(` ${u.username.toUpperCase()} `, u.password)).status).toBe(200);
  });

  it('logout ends the session; an API token is left working', async () => {
    const u = await newUser();
    const { token } = (await login(u.username, u.password)).body;
    const out = await api.call('POST', '/auth/logout', { as: token });
    expect(out.status).toBe(204);
    expect((await api.call('GET', '/auth/me', { as: token })).status).toBe(401);
    expect((await api.call('POST', '/auth/logout', { as: token })).status).toBe(401);
    expect((await userEvents(api.db, u.username)).map((e) => e.type)).toEqual(['UserCreated', 'LoggedIn', 'LoggedOut']);
    expect((await api.call('POST', '/auth/logout', { as: 'village-shiban' })).status).toBe(204);
    expect((await api.call('GET', '/auth/me', { as: 'village-shiban' })).status).toBe(200);
  });

  it('an expired session is 401', async () => {
    const u = await newUser();
    const { token } = (await login(u.username, u.password)).body;
    api.advance(11 * HOUR);
    expect((await api.call('GET', '/auth/me', { as: token })).status).toBe(200);
    api.advance(1 * HOUR + 1000);
    const expired = await api.call('GET', '/auth/me', { as: token });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('locks the account after 5 failures (recorded as events), 423 with lockedUntil, and opens again when the lock runs out', async () => {
    const u = await newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(u.username, `wrong-password-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const locked = await login(u.username, u.password);
    expect(locked.status).toBe(423);
    expect(locked.body.type).toMatch(/account-locked$/);
    const until = Date.parse(locked.body.lockedUntil);
    expect((until - api.now().getTime()) / MINUTE).toBeGreaterThan(14);
    expect((until - api.now().getTime()) / MINUTE).toBeLessThanOrEqual(15);
    const events = await userEvents(api.db, u.username);
    expect(events.map((e) => e.type)).toEqual([
      'UserCreated',
      'LoginFailed',
      'LoginFailed',
      'LoginFailed',
      'LoginFailed',
      'LoginFailed',
      'AccountLocked',
      'LoginRefused',
    ]);
    expect(events.filter((e) => e.type === 'LoginFailed').map((e) => e.data.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(events[6].data).toEqual({ userId: u.username, failures: 5, lockedUntil: locked.body.lockedUntil });
    expect(events[7].data).toEqual({ userId: u.username, reason: 'locked' });
    // The administrator sees the lock.
    const listed = await api.call('GET', `/users?jurisdiction=${SHIBAN}&limit=100`, { as: 'county-admin' });
    expect(listed.body.items.find((x: { userId: string }) => x.userId === u.username).lockedUntil).toBe(locked.body.lockedUntil);

    api.advance(15 * MINUTE + 1000);
    const again = await login(u.username, u.password);
    expect(again.status).toBe(200);
    // A failure after the lock counts from one again.
    expect((await login(u.username, 'wrong-once-more')).status).toBe(401);
    expect((await userEvents(api.db, u.username)).slice(-2).map((e) => [e.type, e.data.failures])).toEqual([
      ['LoggedIn', undefined],
      ['LoginFailed', 1],
    ]);
  });

  it('failures spread wider than the window do not lock', async () => {
    const u = await newUser();
    for (let i = 0; i < 8; i++) {
      expect((await login(u.username, `wrong-${i}`)).status).toBe(401);
      api.advance(4 * MINUTE); // 4 failures at most within any 15 minutes
      if (i % 4 === 3) api.advance(15 * MINUTE);
    }
    expect((await login(u.username, u.password)).status).toBe(200);
  });

  it('concurrent failures do not race past the limit: exactly 5 counted, one lock', async () => {
    const u = await newUser();
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => login(u.username, `concurrent-wrong-${i}`)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(4).fill(401), ...Array(8).fill(423)]);
    const events = await userEvents(api.db, u.username);
    expect(events.filter((e) => e.type === 'LoginFailed').map((e) => e.data.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(events.filter((e) => e.type === 'AccountLocked')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'LoginRefused')).toHaveLength(7);
    expect((await login(u.username, u.password)).status).toBe(423);
  }, 120_000);

  it('a deactivated user is 401 with a session token and with an API token alike, and cannot log in', async () => {
    const password = 'yangliu-password-2026';
    secrets.push(password);
    expect((await api.call('POST', '/users/village-yangliu/password', { as: 'county-admin', body: { password } })).status).toBe(200);
    const session = (await login('village-yangliu', password)).body.token;
    expect((await api.call('GET', '/auth/me', { as: session })).status).toBe(200);
    expect((await api.call('GET', '/auth/me', { as: 'village-yangliu' })).status).toBe(200);

    const off = await api.call('PATCH', '/users/village-yangliu', { as: 'county-admin', body: { active: false } });
    expect([off.status, off.body.active]).toEqual([200, false]);
    expect((await api.call('GET', '/auth/me', { as: session })).status).toBe(401);
    expect((await api.call('GET', '/tasks', { as: 'village-yangliu' })).status).toBe(401);
    const refused = await login('village-yangliu', password);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual((await login('nobody-by-this-name', password)).body);

    const on = await api.call('PATCH', '/users/village-yangliu', { as: 'county-admin', body: { active: true } });
    expect([on.status, on.body.active]).toEqual([200, true]);
    expect((await api.call('GET', '/auth/me', { as: 'village-yangliu' })).status).toBe(200);
    // The sessions ended with the deactivation stay ended.
    expect((await api.call('GET', '/auth/me', { as: session })).status).toBe(401);
    expect((await userEvents(api.db, 'village-yangliu')).map((e) => e.type)).toEqual([
      'PasswordReset',
      'LoggedIn',
      'UserDeactivated',
      'LoginRefused',
      'UserReactivated',
    ]);
  });

  it('refuses hostile log-in bodies with 400 naming the field', async () => {
    const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path).sort();
    const wrongTypes = await api.call('POST', '/auth/login', { body: { username: 5, password: ['x'] } });
    expect([wrongTypes.status, paths(wrongTypes)]).toEqual([400, ['body.password', 'body.username']]);
    const nul = await api.call('POST', '/auth/login', { raw: '{"username":"admin\\u0000x","password":"whatever-it-is"}' });
    expect([nul.status, paths(nul)]).toEqual([400, ['body.username']]);
    const huge = await api.call('POST', '/auth/login', { body: { username: 'a'.repeat(100_000), password: 'p'.repeat(100_000) } });
    expect([huge.status, paths(huge)]).toEqual([400, ['body.password', 'body.username']]);
    expect(huge.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const missing = await api.call('POST', '/auth/login', { body: {} });
    expect([missing.status, paths(missing)]).toEqual([400, ['body.password', 'body.username']]);
  });

  it('no password, hash or token is in any event', async () => {
    const rows = (await api.db.pool.query('SELECT type, data, metadata FROM events')).rows;
    expect(rows.length).toBeGreaterThan(20);
    const text = JSON.stringify(rows);
    expect(secrets.length).toBeGreaterThan(20);
    for (const s of secrets) expect({ found: text.includes(s), secretLength: s.length }).toEqual({ found: false, secretLength: s.length });
    for (const t of Object.values(api.tokens)) expect(text.includes(t)).toBe(false);
    expect(text).not.toMatch(/argon2|password_hash|token_hash/);
  });
});
