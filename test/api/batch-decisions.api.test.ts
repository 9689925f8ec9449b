import { itemDecision, MAX_BATCH_DECISIONS } from '../../src/api/contract/batch-decision-schemas';
import { IdempotencyKeys, requestHash } from '../../src/api/http/idempotency-keys';
import { loadConfig } from '../../src/config/config';
import { BATCH_CONCURRENCY, batchItemKey } from '../../src/api/cases/batch-decisions.service';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const BAIYUN = '522701102201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const against = { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 };
const noQuorum = { representatives: 21, present: 5, for: 5, against: 0, abstain: 0 }; // recorded; the case stays at village evaluation
const UNKNOWN_CASE = 'case-00000000-0000-4000-8000-000000000000';

type Case = { caseId: string; householdHash: string };
type Result = { caseId: string; status: number; case?: Record<string, any>; problem?: Record<string, any> };

/** POST /cases/decisions (issue #11): one assembly, audit or approval over many cases, on the real dev server. */
describe('batch decisions through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT2S' });
  });
  afterAll(() => api?.close());

  async function newCase(village = SHIBAN, as = village === SHIBAN ? 'village-shiban' : 'village-baiyun'): Promise<Case> {
    const r = await api.call('POST', '/applications', { as, body: { village, household: householdInput() } });
    expect(r.status).toBe(201);
    return { caseId: r.body.caseId, householdHash: r.body.case.householdHash };
  }
  const newCases = async (n: number, village = SHIBAN) => {
    const out: Case[] = [];
    for (let i = 0; i < n; i++) out.push(await newCase(village));
    return out;
  };
  const batch = (as: string, body: unknown, headers: Record<string, string> = {}) => api.call('POST', '/cases/decisions', { as, body, headers });
  const item = (c: Case, extra: Record<string, unknown> = {}) => ({ caseId: c.caseId, householdHash: c.householdHash, ...extra });
  const stageOf = async (caseId: string) => (await api.call('GET', `/cases/${caseId}`, { as: 'county-office' })).body.stage as string;
  const waitStage = (caseId: string, stage: string) => waitFor(async () => (await stageOf(caseId)) === stage, 30_000);
  const events = async (caseId: string) => (await api.call('GET', `/cases/${caseId}/events?limit=100`, { as: 'auditor' })).body.events as any[];
  const eventCounts = async (cases: Case[]) => {
    const { rows } = await api.db.pool.query<{ stream_id: string; n: number }>(
      'SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id = ANY($1) GROUP BY stream_id',
      [cases.map((c) => c.caseId)],
    );
    return Object.fromEntries(cases.map((c) => [c.caseId, rows.find((r) => r.stream_id === c.caseId)?.n ?? 0]));
  };
  const statuses = (results: Result[]) => results.map((r) => [r.caseId, r.status, r.case?.stage ?? r.problem?.type.replace(/.*\//, '')]);

  it('a village assembly appraises all its applicants in one meeting, with one reason and one vote record', async () => {
    const cases = await newCases(4);
    const r = await batch('village-shiban', {
      stage: 'village_evaluation',
      decision: 'approve',
      reason: 'assembly of 12 March',
      votes,
      items: cases.map((c) => item(c)),
    });
    expect(r.status).toBe(200);
    expect(r.body.succeeded).toBe(4);
    expect(r.body.failed).toBe(0);
    expect(r.body.results.map((x: Result) => [x.caseId, x.status])).toEqual(cases.map((c) => [c.caseId, 200]));
    for (const [i, c] of cases.entries()) {
      // The same shape as the single decision's answer: the case after the decision.
      const single = await api.call('GET', `/cases/${c.caseId}`, { as: 'village-shiban' });
      expect(Object.keys(r.body.results[i].case).sort()).toEqual(Object.keys(single.body).sort());
      expect(r.body.results[i].case).toMatchObject({ caseId: c.caseId, stage: 'village_publicity', status: 'open' });
      const decided = (await events(c.caseId)).filter((e) => e.type === 'StageDecided');
      expect(decided).toHaveLength(1);
      expect(decided[0]).toMatchObject({
        actor: 'village-shiban',
        data: { stage: 'village_evaluation', decision: 'approve', reason: 'assembly of 12 March', votes },
      });
    }
  });

  it("a town audits a village's list and the county approves the town's list, each case on its own", async () => {
    const cases = await newCases(3);
    await batch('village-shiban', { stage: 'village_evaluation', decision: 'approve', votes, items: cases.map((c) => item(c)) });
    for (const c of cases) await waitStage(c.caseId, 'town_audit');
    const audit = await batch('town-heping', {
      stage: 'town_audit',
      decision: 'approve',
      items: [item(cases[0]), item(cases[1], { decision: 'return', reason: 'income of the son in the city is missing' }), item(cases[2])],
    });
    expect(audit.status).toBe(200);
    expect(statuses(audit.body.results)).toEqual([
      [cases[0].caseId, 200, 'town_publicity'],
      [cases[1].caseId, 200, 'village_evaluation'],
      [cases[2].caseId, 200, 'town_publicity'],
    ]);
    for (const c of [cases[0], cases[2]]) await waitStage(c.caseId, 'county_approval');
    const approval = await batch('county-office', { stage: 'county_approval', decision: 'approve', items: [item(cases[0]), item(cases[2])] });
    expect(statuses(approval.body.results)).toEqual([
      [cases[0].caseId, 200, 'enrolled'],
      [cases[2].caseId, 200, 'enrolled'],
    ]);
  });

  it('per-item decision, reason and votes replace the shared ones', async () => {
    const [a, b, c] = await newCases(3);
    const r = await batch('village-shiban', {
      stage: 'village_evaluation',
      decision: 'approve',
      reason: 'recommended by the assembly',
      votes,
      items: [item(a), item(b, { decision: 'reject', reason: 'income above the line', votes: against }), item(c, { votes: noQuorum })],
    });
    expect(r.status).toBe(200);
    expect(statuses(r.body.results)).toEqual([
      [a.caseId, 200, 'village_publicity'],
      [b.caseId, 200, 'rejected'],
      [c.caseId, 200, 'village_evaluation'],
    ]);
    expect(r.body.results[1].case).toMatchObject({ status: 'rejected', reason: 'income above the line' });
    expect((await events(b.caseId)).find((e) => e.type === 'StageDecided').data).toMatchObject({ decision: 'reject', votes: against });
    expect((await events(c.caseId)).at(-1)).toMatchObject({ type: 'AppraisalInvalid', data: { votes: noQuorum } });
  });

  it('decides the cases it can and answers each refused one as the single decision would (409, 403, 404), in order', async () => {
    const [ok1, decided, stale, ok2] = await newCases(4);
    const elsewhere = await newCase(BAIYUN);
    await batch('village-shiban', { stage: 'village_evaluation', decision: 'approve', votes, items: [item(decided)] });
    const denials = async () => (await api.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'AccessDenied'`)).rows[0].n as number;
    const deniedBefore = await denials();
    const r = await batch('village-shiban', {
      stage: 'village_evaluation',
      decision: 'approve',
      votes,
      items: [
        item(ok1),
        item(decided), // already at village publicity
        item(elsewhere), // another village's case
        { caseId: UNKNOWN_CASE, householdHash: 'a'.repeat(64) },
        item(stale, { householdHash: 'f'.repeat(64) }), // the household changed since it was read
        item(ok2),
      ],
    });
    expect(r.status).toBe(200);
    expect(statuses(r.body.results)).toEqual([
      [ok1.caseId, 200, 'village_publicity'],
      [decided.caseId, 409, 'wrong-stage'],
      [elsewhere.caseId, 403, 'forbidden'],
      [UNKNOWN_CASE, 404, 'not-found'],
      [stale.caseId, 409, 'stale-household'],
      [ok2.caseId, 200, 'village_publicity'],
    ]);
    expect([r.body.succeeded, r.body.failed]).toEqual([2, 4]);
    // The refusals are the single decision's problems, and tell nothing of the other village's case.
    const single = await api.call('POST', `/cases/${elsewhere.caseId}/decisions`, {
      as: 'village-shiban',
      body: { stage: 'village_evaluation', decision: 'approve', votes },
    });
    expect(r.body.results[2].problem).toEqual(single.body);
    expect(r.body.results[1].problem).toMatchObject({ status: 409, title: 'Conflict', detail: expect.stringMatching(/^the case is at/) });
    expect(JSON.stringify(r.body.results[2])).not.toMatch(new RegExp(`${BAIYUN}|${elsewhere.householdHash}|householdId`));
    // Each denial is recorded, as the single decision's is (the single call above adds one).
    expect(await denials()).toBe(deniedBefore + 2);
    expect(await stageOf(elsewhere.caseId)).toBe('village_evaluation');
    expect(await stageOf(stale.caseId)).toBe('village_evaluation');
    expect((await events(decided.caseId)).filter((e) => e.type === 'StageDecided')).toHaveLength(1);
  });

  it('answers a retried batch with the same Idempotency-Key with the same results and no further events', async () => {
    const cases = await newCases(3);
    const body = {
      stage: 'village_evaluation',
      decision: 'approve',
      votes,
      items: [
        item(cases[0]),
        item(cases[1], { decision: 'reject', reason: 'owns a second house', votes: against }),
        item(cases[2], { householdHash: 'f'.repeat(64) }),
      ],
    };
    const headers = { 'idempotency-key': 'assembly-12-march' };
    const first = await batch('village-shiban', body, headers);
    expect(first.status).toBe(200);
    const counts = await eventCounts(cases);
    const retry = await batch('village-shiban', body, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await eventCounts(cases)).toEqual(counts);
    // The same key with another body is another request.
    const other = await batch('village-shiban', { ...body, items: [item(cases[0])] }, headers);
    expect(other.status).toBe(422);
    expect(other.body.type).toMatch(/idempotency-key-reused$/);
    expect(await eventCounts(cases)).toEqual(counts);
  });

  it('a batch retried after its process died half-way answers each case as first answered and decides none twice', async () => {
    const cases = await newCases(4);
    const body = {
      stage: 'village_evaluation',
      decision: 'approve',
      votes: noQuorum, // recorded without moving the case: its answer reads the same later
      items: [item(cases[0]), item(cases[1], { decision: 'reject', reason: 'owns a second house', votes: against }), item(cases[2]), item(cases[3])],
    };
    const key = 'assembly-cut-short';
    const first = await batch('village-shiban', body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    const counts = await eventCounts(cases);
    // As a process killed before the batch's answer was kept, and before those of cases 1 to 3
    // (their Updates done; case 1's ended the case): the batch's key left in progress with no
    // owner, theirs gone.
    await api.db.pool.query('UPDATE idempotency_keys SET status = NULL, response = NULL, owner = NULL WHERE user_id = $1 AND key = $2', [
      'village-shiban',
      key,
    ]);
    const lost = cases.slice(1).map((c) => batchItemKey(key, c.caseId));
    expect((await api.db.pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = ANY($2)', ['village-shiban', lost])).rowCount).toBe(3);
    const retry = await batch('village-shiban', body, { 'idempotency-key': key });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull(); // run again, not replayed
    const stable = (x: Result) => ({ ...x, case: x.case && { ...x.case, updatedAt: undefined } });
    expect(retry.body.results.map(stable)).toEqual(first.body.results.map(stable));
    expect(await eventCounts(cases)).toEqual(counts);
    expect((await events(cases[2].caseId)).filter((e) => e.type === 'AppraisalInvalid')).toHaveLength(1);
  });

  it('a case still being decided by a live earlier attempt makes the batch a 503 to retry; once that attempt is gone, the retry takes it over', async () => {
    const cases = await newCases(2);
    const body = { stage: 'village_evaluation' as const, decision: 'approve' as const, votes, items: cases.map((c) => item(c)) };
    const key = 'assembly-overlapping';
    // Another API process, alive, is deciding case 1 under this batch's key.
    const other = new IdempotencyKeys(api.db.pool, loadConfig({ ...process.env, DATABASE_URL: api.db.url }));
    await other.onApplicationBootstrap();
    const path = `/cases/${cases[1].caseId}/decisions`;
    const hash = requestHash('POST', path, itemDecision(body, body.items[1]));
    expect(await other.begin('village-shiban', batchItemKey(key, cases[1].caseId), 'POST', path, hash)).toEqual({ kind: 'run' });
    try {
      const busy = await batch('village-shiban', body, { 'idempotency-key': key });
      expect([busy.status, busy.body.type, busy.headers.get('retry-after')]).toEqual([503, expect.stringMatching(/temporarily-unavailable$/), '2']);
    } finally {
      await other.onApplicationShutdown(); // as if that process died
    }
    const retry = await batch('village-shiban', body, { 'idempotency-key': key });
    expect(statuses(retry.body.results)).toEqual(cases.map((c) => [c.caseId, 200, 'village_publicity']));
    expect(Object.values(await eventCounts(cases))).toEqual([4, 4]); // submitted, entered, decided, entered: once each
  });

  it('the single decision every item runs: a retry whose first answer was lost after it ended the case answers as then', async () => {
    const c = await newCase();
    const body = { stage: 'village_evaluation', decision: 'reject', reason: 'owns a second house', votes: against };
    const headers = { 'idempotency-key': 'reject-once' };
    const first = await api.call('POST', `/cases/${c.caseId}/decisions`, { as: 'village-shiban', body, headers });
    expect(first.body).toMatchObject({ status: 'rejected' });
    await api.db.pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', ['village-shiban', 'reject-once']);
    const retry = await api.call('POST', `/cases/${c.caseId}/decisions`, { as: 'village-shiban', body, headers });
    expect([retry.status, retry.body]).toEqual([200, first.body]);
    // Without the key's Update behind it, a decision on the ended case is still refused.
    const other = await api.call('POST', `/cases/${c.caseId}/decisions`, { as: 'village-shiban', body, headers: { 'idempotency-key': 'reject-again' } });
    expect([other.status, other.body.type]).toEqual([409, expect.stringMatching(/case-closed$/)]);
    expect((await events(c.caseId)).filter((e) => e.type === 'StageDecided')).toHaveLength(1);
  });

  it('measures an assembly of 24 cases decided one request each, and in one batch (printed, not asserted)', async () => {
    const [oneByOne, together] = [await newCases(24), await newCases(24)];
    const decision = { stage: 'village_evaluation', decision: 'approve', votes };
    let t0 = Date.now();
    for (const c of oneByOne) {
      const r = await api.call('POST', `/cases/${c.caseId}/decisions`, {
        as: 'village-shiban',
        body: { ...decision, householdHash: c.householdHash },
        headers: { 'idempotency-key': `measured-${c.caseId}` },
      });
      expect(r.status).toBe(200);
    }
    const singleMs = Date.now() - t0;
    t0 = Date.now();
    const r = await batch('village-shiban', { ...decision, items: together.map((c) => item(c)) }, { 'idempotency-key': 'measured-assembly' });
    const batchMs = Date.now() - t0;
    expect([r.status, r.body.succeeded]).toEqual([200, 24]);
    process.stdout.write(
      `\n[measure] 24 village appraisals on the dev server: ${singleMs} ms as 24 sequential POST /cases/{id}/decisions, ${batchMs} ms as one POST /cases/decisions (${BATCH_CONCURRENCY} at a time, with an Idempotency-Key)\n`,
    );
  });

  describe('refuses bad input with 400 naming the field, deciding nothing', () => {
    let cases: Case[];
    let before: Record<string, number>;
    beforeAll(async () => {
      cases = await newCases(3);
      before = await eventCounts(cases);
    });
    afterAll(async () => {
      expect(await eventCounts(cases)).toEqual(before);
    });
    const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);
    const refused = async (body: unknown) => {
      const r = await batch('village-shiban', body);
      expect(r.status).toBe(400);
      expect(r.body.type).toMatch(/validation$/);
      return r;
    };
    const base = () => ({ stage: 'village_evaluation', decision: 'approve', votes, items: cases.map((c) => item(c)) });

    it(`more than ${MAX_BATCH_DECISIONS} items`, async () => {
      const many = Array.from({ length: MAX_BATCH_DECISIONS + 1 }, (_, i) => ({
        caseId: `case-00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        householdHash: 'a'.repeat(64),
      }));
      expect(paths(await refused({ ...base(), items: many }))).toEqual(['body.items']);
      expect(paths(await refused({ ...base(), items: [] }))).toEqual(['body.items']);
    });

    it('the same case twice', async () => {
      const r = await refused({ ...base(), items: [item(cases[0]), item(cases[1]), item(cases[0], { decision: 'reject', reason: 'x', votes: against })] });
      expect(r.body.errors).toEqual([{ path: 'body.items.2.caseId', message: 'the same case as items.0: each case once' }]);
    });

    it('an item left without a reason to reject, or without any decision', async () => {
      const noReason = await refused({ ...base(), items: [item(cases[0]), item(cases[1], { decision: 'reject', votes: against })] });
      expect(noReason.body.errors).toEqual([{ path: 'body.items.1.reason', message: 'required for reject and return' }]);
      const noDecision = await refused({ ...base(), decision: undefined, items: [item(cases[0], { decision: 'approve' }), item(cases[1]), item(cases[2])] });
      expect(noDecision.body.errors).toEqual([
        { path: 'body.items.1.decision', message: 'required: for this item, or once for the batch' },
        { path: 'body.items.2.decision', message: 'required: for this item, or once for the batch' },
      ]);
      // A shared reject needs a shared reason, or one in each item.
      const sharedReject = await refused({ ...base(), decision: 'reject', votes: against, items: [item(cases[0], { reason: 'own reason' }), item(cases[1])] });
      expect(paths(sharedReject)).toEqual(['body.items.1.reason']);
    });

    it('control characters, in the shared reason or an item', async () => {
      expect(paths(await refused({ ...base(), reason: 'assembly\u0000minutes' }))).toEqual(['body.reason']);
      const inItem = await refused({
        ...base(),
        items: [item(cases[0]), item(cases[1], { decision: 'reject', votes: against, reason: 'above\u202Athe line\u2028' })],
      });
      expect(paths(inItem)).toEqual(['body.items.1.reason']);
      expect(inItem.body.errors[0].message).toMatch(/control character \(U\+2028\)/);
      expect(paths(await refused({ ...base(), reason: 'x'.repeat(2001) }))).toEqual(['body.reason']);
    });

    it('wrong types', async () => {
      expect(paths(await refused({ ...base(), items: 'all of them' }))).toEqual(['body.items']);
      expect(paths(await refused({ ...base(), stage: 'enrolled' }))).toEqual(['body.stage']);
      expect(paths(await refused({ ...base(), items: [item(cases[0], { votes: { ...votes, for: '15' } })] }))).toEqual(['body.items.0.votes.for']);
      expect(paths(await refused({ ...base(), items: [{ caseId: 'case-1', householdHash: 'nope' }] })).sort()).toEqual([
        'body.items.0.caseId',
        'body.items.0.householdHash',
      ]);
      expect(paths(await refused({ ...base(), items: [{ caseId: cases[0].caseId }] }))).toEqual(['body.items.0.householdHash']);
      expect(paths(await refused({ ...base(), items: [item(cases[0]), null, 5] }))).toEqual(['body.items.1', 'body.items.2']);
      expect(paths(await refused([]))).toEqual(['body']);
    });
  });

  it('is for the officials who decide: others are refused before any case is read', async () => {
    const c = await newCase();
    for (const as of ['applicant-shiban-1', 'supervisor', 'auditor']) {
      const r = await batch(as, { stage: 'village_evaluation', decision: 'approve', votes, items: [item(c)] });
      expect({ as, status: r.status }).toEqual({ as, status: 403 });
    }
    // A town official reaches the case, and the rule of the stage refuses it there.
    const town = await batch('town-heping', { stage: 'village_evaluation', decision: 'approve', votes, items: [item(c)] });
    expect(statuses(town.body.results)).toEqual([[c.caseId, 403, 'forbidden']]);
    expect(await stageOf(c.caseId)).toBe('village_evaluation');
  });
});
