import { randomUUID } from 'node:crypto';
import { ensureAnnualReview } from '../../src/worker/schedules';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';

const key = () => ({ 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` });
const account = () => `62284803${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/**
 * Issue #13 on the dev server: the yearly Temporal Schedule opens a review per enrolled
 * household; the village confirms one and proposes another's exit, which starts an exit case.
 */
describe('annual re-verification: the schedule and the reviews API', () => {
  let api: ApiHarness;
  const households: string[] = [];
  const ids = { scheduleId: `annual-review-test-${randomUUID()}`, workflowId: `annual-review-test-${randomUUID()}` };
  const year = new Date().getUTCFullYear();
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    households.push(await enrolHousehold(api, account()), await enrolHousehold(api, account()));
  }, 240_000);
  afterAll(async () => {
    await api?.env.client.schedule
      .getHandle(ids.scheduleId)
      .delete()
      .catch(() => undefined);
    await api?.close();
  });

  it('the schedule, triggered, opens one review per enrolled household', async () => {
    expect(await ensureAnnualReview(api.env.client, api.taskQueue, ids)).toBe('created');
    expect(await ensureAnnualReview(api.env.client, api.taskQueue, ids)).toBe('exists');
    const schedule = await api.env.client.schedule.getHandle(ids.scheduleId).describe();
    expect(schedule.spec.calendars?.[0]).toMatchObject({ month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }], dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    await api.env.client.schedule.getHandle(ids.scheduleId).trigger();
    await waitFor(async () => (await api.call('GET', `/reviews?year=${year}`, { as: 'town-heping' })).body.items?.length === 2, 60_000);
    const list = await api.call('GET', `/reviews?year=${year}&status=open`, { as: 'village-shiban' });
    expect(list.body.items.map((r: { householdId: string }) => r.householdId).sort()).toEqual([...households].sort());
    expect((await api.call('GET', '/reviews', { as: 'village-baiyun' })).body.items).toEqual([]);
    expect((await api.call('GET', '/reviews?jurisdiction=522701101', { as: 'town-dongfeng' })).status).toBe(403);
    expect((await api.call('GET', '/reviews?year=1999', { as: 'supervisor' })).body.errors[0].path).toBe('query.year');
  });

  it('confirms one household, proposes the exit of the other (an exit case), and refuses the rest', async () => {
    const review = (h: string) => `review-${h}-${year}`;
    const [stays, leaves] = households as [string, string];
    const confirm = (as: string, note: unknown) => api.call('POST', `/reviews/${review(stays)}/confirm`, { as, headers: key(), body: { note } });
    expect((await confirm('village-yangliu', '核实')).status).toBe(403);
    expect((await confirm('county-office', '核实')).status).toBe(403);
    const bad = await confirm('village-shiban', 'a\u0000b');
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, 'body.note']);
    const ok = await confirm('village-shiban', '入户核实，仍符合条件');
    expect(ok.body).toMatchObject({ status: 'confirmed', closedBy: 'village-shiban' });
    expect((await confirm('village-shiban', '再次')).status).toBe(409);

    const propose = await api.call('POST', `/reviews/${review(leaves)}/propose-exit`, {
      as: 'village-shiban',
      headers: key(),
      body: { reason: '人均收入连续两年超过标准' },
    });
    expect(propose.status).toBe(200);
    expect(propose.body.status).toBe('exit_proposed');
    const exitCase = await api.call('GET', `/cases/${propose.body.exitCaseId}`, { as: 'town-heping' });
    expect(exitCase.body).toMatchObject({ stage: 'exit_verification', householdId: leaves });
    const tasks = await api.db.pool.query("SELECT count(*)::int AS n FROM tasks WHERE subject_kind = 'review' AND status = 'open'");
    expect(tasks.rows[0].n).toBe(0);
    expect(
      (await api.call('POST', `/reviews/review-hh-${randomUUID()}-${year}/confirm`, { as: 'village-shiban', headers: key(), body: { note: 'x' } })).status,
    ).toBe(404);
  });
});
