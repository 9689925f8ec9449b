import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';
import { waitFor } from '../support/case-harness';

const SHIBAN = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/**
 * With no worker to run the workflow (crashed, or being deployed), a decision must neither hang
 * nor leave its Idempotency-Key stuck: it ends in a 503 after the request's Temporal deadline,
 * and the same request retried once a worker is back takes effect exactly once.
 */
describe('a request while no worker runs', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ TEMPORAL_CALL_TIMEOUT: 'PT3S', PUBLICITY_PERIOD: 'P7D' });
  });
  afterAll(() => api?.close());

  it('answers 503 problem+json with Retry-After by its deadline, and the retry with the same key decides once', async () => {
    const created = await api.call('POST', '/applications', {
      as: 'village-shiban',
      body: { village: SHIBAN, household: householdInput() },
      headers: { 'idempotency-key': 'away-app-1' },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;

    await api.stopWorker();
    const decision = { as: 'village-shiban', body: { stage: 'village_evaluation', decision: 'approve', votes }, headers: { 'idempotency-key': 'away-eval-1' } };
    const started = Date.now();
    const first = await api.call('POST', `/cases/${caseId}/decisions`, decision);
    const tookMs = Date.now() - started;
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(first.headers.get('retry-after')).toBeTruthy();
    expect(first.body).toMatchObject({ status: 503, type: expect.stringMatching(/temporarily-unavailable$/) });
    expect(tookMs).toBeLessThan(20_000); // the 3 s deadline, with room for a loaded machine; never the minutes an Update can wait

    // A retry while the worker is still away is again a 503 (the key was not kept), not a 409 for ever.
    expect((await api.call('POST', `/cases/${caseId}/decisions`, decision)).status).toBe(503);

    await api.startWorker();
    let again = await api.call('POST', `/cases/${caseId}/decisions`, decision);
    // The first Updates may still be landing on the new worker: a 503 or 409 here is a "retry", as the client would.
    await waitFor(async () => {
      if (again.status === 200) return true;
      expect([409, 503]).toContain(again.status);
      again = await api.call('POST', `/cases/${caseId}/decisions`, decision);
      return again.status === 200;
    }, 60_000);
    expect(again.body.stage).toBe('village_publicity');

    const replay = await api.call('POST', `/cases/${caseId}/decisions`, decision);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const decided = await api.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'StageDecided'`, [caseId]);
    expect(decided.rows[0].n).toBe(1);
  });
  it('a batch decision cut short answers 503 and keeps nothing; its retry with the same key decides each case once', async () => {
    const cases: { caseId: string; householdHash: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
      cases.push({ caseId: r.body.caseId, householdHash: r.body.case.householdHash });
    }
    await api.stopWorker();
    const batch = {
      as: 'village-shiban',
      body: { stage: 'village_evaluation', decision: 'approve', votes, items: cases },
      headers: { 'idempotency-key': 'away-assembly-1' },
    };
    const first = await api.call('POST', '/cases/decisions', batch);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBeTruthy();
    expect(first.body).toMatchObject({ status: 503, type: expect.stringMatching(/temporarily-unavailable$/) });

    await api.startWorker();
    let again = await api.call('POST', '/cases/decisions', batch);
    await waitFor(async () => {
      if (again.status === 200) return true;
      expect([409, 503]).toContain(again.status);
      again = await api.call('POST', '/cases/decisions', batch);
      return again.status === 200;
    }, 60_000);
    expect(again.body.results.map((r: { caseId: string; status: number; case: { stage: string } }) => [r.caseId, r.status, r.case.stage])).toEqual(
      cases.map((c) => [c.caseId, 200, 'village_publicity']),
    );
    const decided = await api.db.pool.query(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id = ANY($1) AND type = 'StageDecided' GROUP BY stream_id`,
      [cases.map((c) => c.caseId)],
    );
    expect(decided.rows.map((r) => r.n)).toEqual([1, 1, 1]);
  });
});
