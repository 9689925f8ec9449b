import { Client } from 'pg';
import { IdempotencyKeys, INSTANCE_LOCK_CLASS, requestHash } from '../../src/api/http/idempotency-keys';
import { idFromKey } from '../../src/crypto/ids';
import { loadConfig } from '../../src/config/config';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';

const VILLAGE = '522701101201';
const USER = 'village-shiban';

/** Issue #7: an Idempotency-Key whose first request died with its API process recovers; keys expire. */
describe('Idempotency-Key recovery and expiry (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api?.close());

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const application = () => ({ village: VILLAGE, household: householdInput() });
  const hashOf = (body: unknown) => requestHash('POST', '/applications', body);
  const apply = (key: string, body: unknown) => api.call('POST', '/applications', { as: USER, body, headers: { 'idempotency-key': key } });
  const count = async (sql: string, params: unknown[]) => (await api.db.pool.query(sql, params)).rows[0].n as number;
  const casesWithId = (caseId: string) => count('SELECT count(*)::int AS n FROM cases WHERE case_id = $1', [caseId]);
  const submissions = (caseId: string) => count(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'ApplicationSubmitted'`, [caseId]);
  const keyRow = async (key: string, user = USER) =>
    (await api.db.pool.query('SELECT owner, status, request_hash, created_at, started_at FROM idempotency_keys WHERE user_id = $1 AND key = $2', [user, key]))
      .rows[0];
  const ourInstance = () => api.app.get(IdempotencyKeys);

  /** Retries as a client would while the answer is "still in progress" (the dead session may take a moment to go). */
  async function retryUntilAnswered(send: () => ReturnType<ApiHarness['call']>) {
    for (const until = Date.now() + 15_000; ;) {
      const r = await send();
      if (r.status !== 409 || Date.now() > until) return r;
      await sleep(100);
    }
  }

  /** The backend holding an instance's liveness lock, if any. */
  const lockHolder = async (instanceId: number) =>
    (
      await api.db.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted`,
        [INSTANCE_LOCK_CLASS, instanceId],
      )
    ).rows[0]?.pid;
  async function untilNoHolder(instanceId: number) {
    for (const until = Date.now() + 15_000; (await lockHolder(instanceId)) !== undefined;) {
      if (Date.now() > until) throw new Error(`instance ${instanceId} still holds its lock`);
      await sleep(100);
    }
  }

  /** Another API process as Postgres sees it: a session holding the advisory lock on its instance id. */
  async function otherProcess() {
    const id = 1 + Math.floor(Math.random() * (2 ** 31 - 2));
    const session = new Client({ connectionString: api.db.url });
    session.on('error', () => undefined);
    await session.connect();
    await session.query('SELECT pg_advisory_lock($1, $2)', [INSTANCE_LOCK_CLASS, id]);
    return {
      id,
      /** kill -9: the socket just goes, no goodbye to Postgres. */
      crash: () => (session as any).connection.stream.destroy(),
    };
  }

  it("a retry after the first request's process died runs it once and then replays its answer", async () => {
    const body = application();
    const key = 'died-before-work';
    const caseId = `case-${idFromKey(USER, key)}`;
    // A second API process takes the request, stores it as in progress, and dies before running it.
    const other = new IdempotencyKeys(api.db.pool, loadConfig({ ...process.env, DATABASE_URL: api.db.url }));
    await other.onApplicationBootstrap();
    expect(other.holdsLock).toBe(true);
    expect(await other.begin(USER, key, 'POST', '/applications', hashOf(body))).toEqual({ kind: 'run' });

    const whileAlive = await apply(key, body);
    expect(whileAlive.status).toBe(409);
    expect(whileAlive.body.type).toMatch(/idempotency-in-progress/);
    expect(whileAlive.headers.get('retry-after')).toBe('1');

    await other.onApplicationShutdown(); // its session ends, as at any death; the row stays in progress
    expect(await keyRow(key)).toMatchObject({ owner: other.instanceId, status: null });

    const recovered = await apply(key, body);
    expect(recovered.status).toBe(201);
    expect(recovered.body).toMatchObject({ caseId, stage: 'village_evaluation', status: 'open' });
    expect(recovered.headers.get('idempotent-replayed')).toBeNull();
    const replayed = await apply(key, body);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(recovered.body);
    expect(await keyRow(key)).toMatchObject({ owner: ourInstance().instanceId, status: 201 });
    expect(await casesWithId(caseId)).toBe(1);
    expect(await submissions(caseId)).toBe(1);
  });

  it('a retry after the first process did the work but was killed before keeping the answer gets the same answer', async () => {
    const body = application();
    const key = 'died-after-work';
    const first = await apply(key, body);
    expect(first.status).toBe(201);
    // Rewind the key to the moment before finish(): in progress, owned by a process that is still alive.
    const other = await otherProcess();
    await api.db.pool.query('UPDATE idempotency_keys SET status = NULL, response = NULL, owner = $3 WHERE user_id = $1 AND key = $2', [USER, key, other.id]);
    expect((await apply(key, body)).status).toBe(409);

    other.crash();
    const recovered = await retryUntilAnswered(() => apply(key, body));
    expect(recovered.status).toBe(201);
    expect(recovered.body).toEqual(first.body);
    const replayed = await apply(key, body);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(first.body);
    expect(await casesWithId(first.body.caseId)).toBe(1);
    expect(await submissions(first.body.caseId)).toBe(1);
  });

  it('racing retries of an orphaned key: one takes it over, the others wait, one case', async () => {
    const body = application();
    const key = 'orphan-race';
    const other = await otherProcess();
    await api.db.pool.query('INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, owner) VALUES ($1, $2, $3, $4, $5, $6)', [
      USER,
      key,
      'POST',
      '/applications',
      hashOf(body),
      other.id,
    ]);
    other.crash();
    await untilNoHolder(other.id);
    const results = await Promise.all(Array.from({ length: 4 }, () => apply(key, body)));
    for (const r of results) expect([201, 409]).toContain(r.status);
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.caseId))).toEqual(new Set([`case-${idFromKey(USER, key)}`]));
    expect(await submissions(`case-${idFromKey(USER, key)}`)).toBe(1);
  });

  it('a request running in this live process keeps its key, also after its lock session was cut and taken again', async () => {
    const keys = ourInstance();
    expect(keys.holdsLock).toBe(true);
    const body = application();
    const key = 'running-here';
    expect(await keys.begin(USER, key, 'POST', '/applications', hashOf(body))).toEqual({ kind: 'run' }); // in flight here
    expect((await apply(key, body)).status).toBe(409);

    const lockPid = () => lockHolder(keys.instanceId);
    const before = await lockPid();
    expect(before).toEqual(expect.any(Number));
    await api.db.pool.query('SELECT pg_terminate_backend($1)', [before]); // as a Postgres restart would
    for (const until = Date.now() + 15_000; Date.now() < until;) {
      const now = await lockPid();
      if (now !== undefined && now !== before && keys.holdsLock) break;
      await sleep(100);
    }
    expect(keys.holdsLock).toBe(true);
    expect(await lockPid()).not.toBe(before);
    expect((await apply(key, body)).status).toBe(409);
    expect(await casesWithId(`case-${idFromKey(USER, key)}`)).toBe(0);
  });

  it('a request hung past the lease in a live process may be taken over', async () => {
    const body = application();
    const key = 'hung';
    const other = await otherProcess();
    await api.db.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, owner, started_at) VALUES ($1, $2, $3, $4, $5, $6, now() - interval '6 minutes')`,
      [USER, key, 'POST', '/applications', hashOf(body), other.id],
    );
    const r = await apply(key, body);
    expect(r.status).toBe(201);
    expect(await keyRow(key)).toMatchObject({ owner: ourInstance().instanceId, status: 201 });
    expect(await casesWithId(r.body.caseId)).toBe(1);
    other.crash();
  });

  it('the same key with a different body is 422 whether the first request is done, running or orphaned', async () => {
    const a = application();
    const b = application();
    expect((await apply('reuse-done', a)).status).toBe(201);
    expect((await apply('reuse-done', b)).status).toBe(422);

    const c = application();
    const other = await otherProcess();
    await api.db.pool.query('INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, owner) VALUES ($1, $2, $3, $4, $5, $6)', [
      USER,
      'reuse-running',
      'POST',
      '/applications',
      hashOf(c),
      other.id,
    ]);
    const running = await apply('reuse-running', b);
    expect(running.status).toBe(422);
    expect(running.body.type).toMatch(/idempotency-key-reused/);
    other.crash();
    await untilNoHolder(other.id);
    const orphaned = await apply('reuse-running', b);
    expect(orphaned.status).toBe(422);
    expect(await keyRow('reuse-running')).toMatchObject({ owner: other.id, status: null, request_hash: hashOf(c) }); // not taken over
    expect((await apply('reuse-running', c)).status).toBe(201);
  });

  describe('expiry (IDEMPOTENCY_KEY_TTL, default P1D)', () => {
    const age = (key: string, user = USER) =>
      api.db.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1 AND key = $2`, [user, key]);

    it('an expired key is new again: a different request under it runs instead of 422', async () => {
      const set = (publicityPeriod: string) =>
        api.call('POST', '/jurisdictions/522701102202/settings', {
          as: 'county-office',
          body: { publicityPeriod },
          headers: { 'idempotency-key': 'settings-once' },
        });
      expect((await set('P10D')).status).toBe(200);
      expect((await set('P12D')).status).toBe(422);
      await age('settings-once', 'county-office');
      const again = await set('P12D');
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
      expect(again.body).toMatchObject({ publicityPeriod: 'P12D' });
      const row = await keyRow('settings-once', 'county-office');
      expect(Date.now() - row.created_at.getTime()).toBeLessThan(60_000);
      expect((await set('P12D')).headers.get('idempotent-replayed')).toBe('true');
    });

    it("the same request after expiry runs again, and the handler's own ids still keep it to one case", async () => {
      const body = application();
      const first = await apply('expired-apply', body);
      expect(first.status).toBe(201);
      await age('expired-apply');
      const again = await apply('expired-apply', body);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
      expect(again.body.caseId).toBe(first.body.caseId);
      expect(await casesWithId(first.body.caseId)).toBe(1);
      expect(await submissions(first.body.caseId)).toBe(1);
    });

    it('expired keys are purged, done or not; live ones are kept', async () => {
      const insert = (key: string, createdAgo: string, status: number | null) =>
        api.db.pool.query(
          `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, status, response, created_at, started_at)
         VALUES ($1, $2, 'POST', '/applications', 'h', $3, $4, now() - $5::interval, now() - $5::interval)`,
          [USER, key, status, status === null ? null : '{}', createdAgo],
        );
      await insert('purge-old-done', '25 hours', 201);
      await insert('purge-old-stuck', '30 hours', null);
      await insert('purge-young', '23 hours', 201);
      expect(await ourInstance().purge()).toBeGreaterThanOrEqual(2);
      expect(await keyRow('purge-old-done')).toBeUndefined();
      expect(await keyRow('purge-old-stuck')).toBeUndefined();
      expect(await keyRow('purge-young')).toMatchObject({ status: 201 });
    });

    it('is validated config and must outlast the lease', () => {
      expect(loadConfig({ DATABASE_URL: 'postgres://x' }).idempotency).toEqual({ keyTtlMs: 86_400_000, leaseMs: 300_000 });
      expect(loadConfig({ DATABASE_URL: 'postgres://x', IDEMPOTENCY_KEY_TTL: 'PT2H' }).idempotency.keyTtlMs).toBe(7_200_000);
      expect(() => loadConfig({ DATABASE_URL: 'postgres://x', IDEMPOTENCY_KEY_TTL: 'PT1M' })).toThrow(
        /IDEMPOTENCY_KEY_TTL: a duration longer than IDEMPOTENCY_LEASE/,
      );
      expect(() => loadConfig({ DATABASE_URL: 'postgres://x', IDEMPOTENCY_LEASE: '5 minutes' })).toThrow(/IDEMPOTENCY_LEASE: an ISO 8601 duration/);
    });
  });
});
