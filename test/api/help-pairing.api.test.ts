import { randomUUID } from 'node:crypto';
import { upsertUsers } from '../../src/directory/directory';
import { contactWatcherId, startMissingWatchers } from '../../src/help/contact-watcher';
import { recordPairing } from '../../src/help/help-streams';
import { createEventStore } from '../../src/store/create-event-store';
import { newToken } from '../../src/directory/tokens';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const key = () => ({ 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` });
const account = () => `62284800${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/**
 * Issue #13, pairing: "532" quotas, full coverage and its gaps, separation (no helper for his
 * own or a related household), visits only by the household's own helper, and the town's
 * alert when a household goes without a visit for the contact window (3 s here).
 */
describe('helpers, pairings, visits and lost contact through the API', () => {
  let api: ApiHarness;
  const households: { own: string; related: string; plain: string } = { own: '', related: '', plain: '' };
  const relatedMember = householdInput();

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S', CONTACT_WINDOW: 'PT4S' });
    households.own = await enrolHousehold(api, account());
    households.related = await enrolHousehold(api, account(), relatedMember);
    households.plain = await enrolHousehold(api, account());
    // A helper whose own ID number is a member's of the first household.
    const [ownHash] = (await api.db.pool.query('SELECT member_id_hashes FROM households WHERE household_id = $1', [households.own])).rows[0].member_id_hashes;
    api.tokens['helper-own'] = newToken();
    await upsertUsers(api.db.pool, [
      { userId: 'helper-own', name: 'Helper from the household', role: 'helper', jurisdiction: '522701', token: api.tokens['helper-own'], idHash: ownHash },
    ]);
  }, 240_000);
  afterAll(async () => {
    await api?.close();
  });

  const count = async (table: string) => Number((await api.db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('registers helpers by rank: the county registers its cadres, a town cannot register a county cadre', async () => {
    const town = await api.call('POST', '/helpers', { as: 'town-heping', body: { userId: 'helper-li', rank: 'cadre', unit: '县农业农村局' } });
    expect(town.status).toBe(403);
    const notHelper = await api.call('POST', '/helpers', { as: 'county-office', body: { userId: 'village-shiban', rank: 'cadre', unit: 'x' } });
    expect(notHelper.status).toBe(422);
    expect(notHelper.body.errors[0].path).toBe('body.userId');
    const bad = await api.call('POST', '/helpers', {
      as: 'county-office',
      body: { userId: 'helper-li', rank: 'general', unit: 'a\u0000b', relatives: ['123'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.rank', 'body.relatives.0', 'body.unit']);
    expect(await count('helpers')).toBe(0);

    const li = await api.call('POST', '/helpers', {
      as: 'county-office',
      body: { userId: 'helper-li', rank: 'cadre', unit: '县农业农村局', relatives: [relatedMember.members[1]!.idNumber] },
    });
    expect(li.status).toBe(201);
    expect(li.body).toMatchObject({ userId: 'helper-li', rank: 'cadre', households: 0, quota: 2, meetsQuota: false });
    const zhao = await api.call('POST', '/helpers', { as: 'county-office', body: { userId: 'helper-zhao', rank: 'county_leader', unit: '县委' } });
    expect(zhao.body).toMatchObject({ quota: 5, meetsQuota: false });
    const own = await api.call('POST', '/helpers', { as: 'county-office', body: { userId: 'helper-own', rank: 'department_leader', unit: '县民政局' } });
    expect(own.body.quota).toBe(3);
    // The relative's ID number is kept only as a keyed hash.
    const stored =
      JSON.stringify((await api.db.pool.query('SELECT * FROM helpers')).rows) +
      JSON.stringify((await api.db.pool.query("SELECT data FROM events WHERE stream_id LIKE 'helper-%'")).rows);
    expect(stored).not.toContain(relatedMember.members[1]!.idNumber);
  });

  it('refuses a helper for his own household and for a related one, writing nothing', async () => {
    const own = await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId: households.own, helperId: 'helper-own' } });
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/own household/);
    const related = await api.call('POST', '/pairings', {
      as: 'town-heping',
      headers: key(),
      body: { householdId: households.related, helperId: 'helper-li' },
    });
    expect(related.status).toBe(403);
    expect(related.body.detail).toMatch(/related household/);
    expect(await count('pairings')).toBe(0);
    expect(Number((await api.db.pool.query("SELECT count(*) FROM events WHERE stream_id LIKE 'pairing-%'")).rows[0].count)).toBe(0);
  });

  it('pairs once per household (a retry gets the same pairing; a second helper is 409), only within the town', async () => {
    const headers = key();
    const first = await api.call('POST', '/pairings', { as: 'town-heping', headers, body: { householdId: households.own, helperId: 'helper-li' } });
    expect(first.status).toBe(201);
    const again = await api.call('POST', '/pairings', { as: 'town-heping', headers, body: { householdId: households.own, helperId: 'helper-li' } });
    expect(again.body.pairingId).toBe(first.body.pairingId);
    const second = await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId: households.own, helperId: 'helper-zhao' } });
    expect(second.status).toBe(409);
    const otherTown = await api.call('POST', '/pairings', {
      as: 'town-dongfeng',
      headers: key(),
      body: { householdId: households.plain, helperId: 'helper-li' },
    });
    expect(otherTown.status).toBe(403);
    const village = await api.call('POST', '/pairings', {
      as: 'village-shiban',
      headers: key(),
      body: { householdId: households.plain, helperId: 'helper-li' },
    });
    expect(village.status).toBe(403);
    const wrongTypes = await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId: 42, helperId: ['x'] } });
    expect(wrongTypes.status).toBe(400);
    expect(wrongTypes.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.helperId', 'body.householdId']);
    expect(await count('pairings')).toBe(1);
  });

  it('reports coverage gaps by village and helpers below their quota', async () => {
    const before = await api.call('GET', '/pairings/coverage', { as: 'town-heping' });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ jurisdiction: '522701101', enrolled: 3, paired: 1, unpaired: 2 });
    expect(before.body.gaps).toEqual([{ village: SHIBAN, enrolled: 3, paired: 1, unpaired: 2 }]);
    expect(before.body.unpairedHouseholds.map((h: { householdId: string }) => h.householdId).sort()).toEqual([households.related, households.plain].sort());

    expect(
      (await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId: households.plain, helperId: 'helper-li' } })).status,
    ).toBe(201);
    expect(
      (await api.call('POST', '/pairings', { as: 'town-heping', headers: key(), body: { householdId: households.related, helperId: 'helper-zhao' } })).status,
    ).toBe(201);
    const after = await api.call('GET', '/pairings/coverage', { as: 'supervisor' });
    expect(after.body).toMatchObject({ jurisdiction: '522701', enrolled: 3, paired: 3, unpaired: 0, coverage: 1, gaps: [], unpairedHouseholds: [] });
    // Li helps two (a cadre's quota), Zhao one of five, the third helper none of three.
    expect(after.body.helpersBelowQuota).toEqual([
      { userId: 'helper-own', rank: 'department_leader', households: 0, quota: 3 },
      { userId: 'helper-zhao', rank: 'county_leader', households: 1, quota: 5 },
    ]);
    const helpers = await api.call('GET', '/helpers', { as: 'county-office' });
    expect(helpers.body.items.find((h: { userId: string }) => h.userId === 'helper-li')).toMatchObject({
      households: 2,
      quota: 2,
      meetsQuota: true,
      mayBeRatedAdvanced: true,
    });
    const below = await api.call('GET', '/helpers?belowQuota=true', { as: 'county-office' });
    expect(below.body.items.map((h: { userId: string }) => h.userId)).toEqual(['helper-own', 'helper-zhao']);
    expect((await api.call('GET', '/pairings/coverage?jurisdiction=522701102', { as: 'town-heping' })).status).toBe(403);
    expect((await api.call('GET', '/pairings/coverage', { as: 'helper-li' })).status).toBe(403);
    expect((await api.call('GET', '/pairings/coverage?jurisdiction=52270', { as: 'supervisor' })).body.errors[0].path).toBe('query.jurisdiction');
  });

  it("takes visits only from the household's own helper, refuses bad input naming the field, and restores lost contact", async () => {
    const body = { kind: 'hospitalisation', visitedAt: new Date().toISOString(), notes: '住院探望 / hospital visit' };
    expect((await api.call('POST', `/households/${households.own}/visits`, { as: 'helper-zhao', headers: key(), body })).status).toBe(403);
    expect((await api.call('POST', `/households/${households.own}/visits`, { as: 'town-heping', headers: key(), body })).status).toBe(403);
    const hostile = [
      [{ ...body, notes: 'a\u0000b' }, 'body.notes'],
      [{ ...body, notes: 'x'.repeat(4001) }, 'body.notes'],
      [{ ...body, kind: 'party' }, 'body.kind'],
      [{ ...body, visitedAt: 12 }, 'body.visitedAt'],
      [{ ...body, photoHash: 'abc' }, 'body.photoHash'],
    ] as const;
    for (const [b, path] of hostile) {
      const r = await api.call('POST', `/households/${households.own}/visits`, { as: 'helper-li', headers: key(), body: b });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, path]);
    }
    const future = await api.call('POST', `/households/${households.own}/visits`, {
      as: 'helper-li',
      headers: key(),
      body: { ...body, visitedAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(future.status).toBe(422);
    expect(await count('visits')).toBe(0);

    // The window (4 s) passes with no visit to the plain household: its town gets a follow-up task.
    await waitFor(
      async () =>
        (await api.call('GET', '/pairings/lost-contact', { as: 'town-heping' })).body.items.some(
          (i: { householdId: string; alertOpenSince: string | null }) => i.householdId === households.plain && i.alertOpenSince,
        ),
      60_000,
    );
    const tasks = await api.call('GET', '/tasks?limit=100', { as: 'town-heping' });
    const followUp = tasks.body.items.find((t: { subjectId: string }) => t.subjectId === households.plain);
    expect(followUp).toMatchObject({ kind: 'follow_up', stage: 'lost_contact', subjectKind: 'pairing', jurisdiction: '522701101' });
    expect((await api.call('GET', '/pairings/lost-contact', { as: 'town-dongfeng' })).body.items).toEqual([]);

    const headers = key();
    const visit = await api.call('POST', `/households/${households.plain}/visits`, { as: 'helper-li', headers, body });
    expect(visit.status).toBe(201);
    expect(visit.body).toMatchObject({ kind: 'hospitalisation', contactRestored: true });
    const retry = await api.call('POST', `/households/${households.plain}/visits`, { as: 'helper-li', headers, body });
    expect(retry.body.visitId).toBe(visit.body.visitId);
    expect(Number((await api.db.pool.query('SELECT count(*) FROM visits WHERE household_id = $1', [households.plain])).rows[0].count)).toBe(1);
    const open = await api.db.pool.query("SELECT count(*) FROM tasks WHERE subject_kind = 'pairing' AND subject_id = $1 AND status = 'open'", [
      households.plain,
    ]);
    expect(Number(open.rows[0].count)).toBe(0);
    const events = (await api.db.pool.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [`pairing-${households.plain}`])).rows.map(
      (r) => r.type,
    );
    expect(events).toEqual(['HelperPaired', 'ContactLost', 'VisitRecorded', 'ContactRestored']);
  });

  it("starts the watcher of a pairing recorded by an API that died before starting it (the worker's sweep), once", async () => {
    // Every pairing made through the API says its watcher runs.
    const unmarked = await api.db.pool.query("SELECT count(*) FROM pairings WHERE status = 'active' AND watcher_started_at IS NULL");
    expect(Number(unmarked.rows[0].count)).toBe(0);
    // The crash: a pairing recorded two minutes ago, its watcher never started.
    const householdId = await enrolHousehold(api, account());
    const pairingId = `pair-${randomUUID()}`;
    const at = new Date(Date.now() - 120_000).toISOString();
    await recordPairing(
      createEventStore(api.db.pool),
      householdId,
      {
        type: 'Pair',
        pairingId,
        householdId,
        village: SHIBAN,
        helperId: 'helper-zhao',
        householdEnrolled: true,
        separation: { relatedIdHashes: [], memberIdHashes: [] },
        by: 'town-heping',
        at,
      },
      'town-heping',
    );
    const sweep = (graceMs: number) => startMissingWatchers(api.env.client, api.db.pool, { taskQueue: api.taskQueue, window: 'PT4S', graceMs, limit: 10 });
    expect(await sweep(10 * 60_000)).toBe(0); // younger than the grace: left to the API
    expect(await sweep(60_000)).toBe(1);
    expect((await api.env.client.workflow.getHandle(contactWatcherId(pairingId)).describe()).status.name).toBe('RUNNING');
    expect(await sweep(60_000)).toBe(0);
    // The watcher is live: paired two minutes ago with a 4 s window, the household has lost contact.
    await waitFor(
      async () => (await api.db.pool.query('SELECT lost_contact_since FROM pairings WHERE pairing_id = $1', [pairingId])).rows[0].lost_contact_since !== null,
      60_000,
    );
  }, 180_000);
});
