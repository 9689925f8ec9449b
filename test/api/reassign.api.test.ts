import { upsertUsers } from '../../src/directory/directory';
import { decideUpdate } from '../../src/workflows/identification-case';
import { newToken } from '../../src/directory/tokens';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const key = () => ({ 'idempotency-key': `k-${Math.random().toString(36).slice(2)}` });

/**
 * Issue #13 through the API: a supervisor gives a stalled case's task to another official of
 * the right role and place, with a reason recorded on the case; the stalled list shows who
 * holds it since when, and that the step was reminded (the limit here is one second).
 */
describe('POST /tasks/{taskId}/reassign', () => {
  let api: ApiHarness;
  let caseId: string;
  let taskId: string;
  beforeAll(async () => {
    api = await apiHarness({ STAGE_TIME_LIMIT: 'PT1S', STAGE_TIME_LIMIT_MIN: 'PT1S', PUBLICITY_PERIOD: 'PT1S' });
    for (const [userId, role, jurisdiction] of [
      ['village-shiban-2', 'village_official', SHIBAN],
      ['supervisor-dongfeng', 'supervisor', '522701102'],
      ['village-shiban-gone', 'village_official', SHIBAN],
      ['town-heping-2', 'town_official', '522701101'],
      // Placed after the API started, as a database edit would: a village role for the whole county.
      ['village-county', 'village_official', '522701'],
    ] as const) {
      api.tokens[userId] = newToken();
      await upsertUsers(api.db.pool, [{ userId, name: userId, role, jurisdiction, token: api.tokens[userId] }]);
    }
    await api.db.pool.query("UPDATE users SET active = false WHERE user_id = 'village-shiban-gone'");
    const r = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    caseId = r.body.caseId;
    const tasks = await api.call('GET', '/tasks?limit=100', { as: 'village-shiban' });
    taskId = tasks.body.items.find((t: { caseId: string }) => t.caseId === caseId).taskId;
    expect((await api.call('POST', `/tasks/${taskId}/claim`, { as: 'village-shiban' })).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const reassigned = async () =>
    Number((await api.db.pool.query("SELECT count(*) FROM events WHERE stream_id = $1 AND type = 'TaskReassigned'", [caseId])).rows[0].count);

  it('refuses other roles, other places, bad input and wrong assignees, recording nothing', async () => {
    const body = { toUserId: 'village-shiban-2', reason: '原经办人病假 / the holder is on sick leave' };
    expect((await api.call('POST', `/tasks/${taskId}/reassign`, { as: 'village-shiban', headers: key(), body })).status).toBe(403);
    expect((await api.call('POST', `/tasks/${taskId}/reassign`, { as: 'supervisor-dongfeng', headers: key(), body })).status).toBe(403);
    const cases: [unknown, number, string][] = [
      [{ ...body, reason: 'a\u0000b' }, 400, 'body.reason'],
      [{ ...body, reason: '' }, 400, 'body.reason'],
      [{ ...body, reason: '理由'.repeat(100_000) }, 400, 'body.reason'],
      [{ ...body, reason: ['a list'] }, 400, 'body.reason'],
      [{ ...body, toUserId: 17 }, 400, 'body.toUserId'],
      [{ ...body, toUserId: 'nobody-here' }, 422, 'body.toUserId'],
      [{ ...body, toUserId: 'town-heping' }, 422, 'body.toUserId'], // the wrong role
      [{ ...body, toUserId: 'village-yangliu' }, 422, 'body.toUserId'], // another village
      [{ ...body, toUserId: 'village-shiban-gone' }, 422, 'body.toUserId'], // deactivated
      [{ ...body, toUserId: 'village-shiban' }, 422, 'body.toUserId'], // holds it already
      [{ ...body, toUserId: 'village-county' }, 422, 'body.toUserId'], // a village role held at the county
    ];
    for (const [b, status, path] of cases) {
      const r = await api.call('POST', `/tasks/${taskId}/reassign`, { as: 'supervisor', headers: key(), body: b });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([status, path]);
    }
    for (const odd of [`${taskId}%00`, `${taskId}-1-2`, 'x'.repeat(5000), `${taskId}-${'9'.repeat(40)}`]) {
      const r = await api.call('POST', `/tasks/${odd}/reassign`, { as: 'supervisor', headers: key(), body });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, 'params.taskId']);
    }
    expect((await api.call('POST', `/tasks/task-00000000-0000-4000-8000-000000000000-1/reassign`, { as: 'supervisor', headers: key(), body })).status).toBe(
      404,
    );
    expect(await reassigned()).toBe(0);
  });

  it('gives a user whose role is held at the wrong level nothing: no tasks, no case, no claim, no decision, and the workflow refuses it too', async () => {
    const denials = async () =>
      Number((await api.db.pool.query("SELECT count(*) FROM events WHERE type = 'AccessDenied' AND data->>'userId' = 'village-county'")).rows[0].count);
    const before = await denials();
    const inbox = await api.call('GET', '/tasks?limit=100', { as: 'village-county' });
    expect([inbox.status, inbox.body.items]).toEqual([403, undefined]);
    expect(inbox.body.detail).toContain('角色 village_official 只能设在村级行政区划');
    expect((await api.call('GET', `/cases/${caseId}`, { as: 'village-county' })).status).toBe(403);
    expect((await api.call('POST', `/tasks/${taskId}/claim`, { as: 'village-county' })).status).toBe(403);
    const decision = { stage: 'village_evaluation', decision: 'approve', votes: { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 } };
    expect((await api.call('POST', `/cases/${caseId}/decisions`, { as: 'village-county', headers: key(), body: decision })).status).toBe(403);
    expect(await denials()).toBe(before + 4);
    // The village's own official still sees the task.
    expect((await api.call('GET', '/tasks?limit=100', { as: 'village-shiban' })).body.items.map((t: { taskId: string }) => t.taskId)).toContain(taskId);
    const householdHash = (await api.call('GET', `/cases/${caseId}`, { as: 'village-shiban' })).body.householdHash;
    const direct = api.env.client.workflow.getHandle(caseId).executeUpdate(decideUpdate, {
      args: [{ type: 'Decide', ...decision, householdHash, actor: { userId: 'village-county', role: 'village_official', jurisdiction: '522701' } }],
    } as never);
    await expect(direct).rejects.toMatchObject({ cause: { type: 'forbidden' } });
    const events = await api.call('GET', `/cases/${caseId}/events`, { as: 'auditor' });
    expect(events.body.events.map((e: { type: string }) => e.type)).not.toContain('AppraisalRecorded');
    expect((await api.call('GET', `/cases/${caseId}`, { as: 'village-shiban' })).body.stage).toBe('village_evaluation');
  });

  it('gives the task to the new holder, recorded on the case; the stalled list shows holder, since when, and the reminder', async () => {
    const headers = key();
    const body = { toUserId: 'village-shiban-2', reason: '原经办人病假 / the holder is on sick leave' };
    const r = await api.call('POST', `/tasks/${taskId}/reassign`, { as: 'supervisor', headers, body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ taskId, holder: 'village-shiban-2' });
    const retry = await api.call('POST', `/tasks/${taskId}/reassign`, { as: 'supervisor', headers, body });
    expect(retry.body.holder).toBe('village-shiban-2');
    expect(await reassigned()).toBe(1);
    const events = await api.call('GET', `/cases/${caseId}/events`, { as: 'auditor' });
    const e = events.body.events.find((x: { type: string }) => x.type === 'TaskReassigned');
    expect(e.data).toEqual({ taskId, from: 'village-shiban', to: 'village-shiban-2', reason: body.reason, by: 'supervisor' });
    // The old holder can no longer release it; the new one can.
    expect((await api.call('POST', `/tasks/${taskId}/release`, { as: 'village-shiban' })).status).toBe(409);

    await waitFor(
      async () => (await api.call('GET', `/cases/${caseId}/events`, { as: 'auditor' })).body.events.some((x: { type: string }) => x.type === 'ReminderSent'),
      30_000,
    );
    const stalled = await api.call('GET', '/supervision/stalled?limit=100', { as: 'supervisor' });
    const item = stalled.body.items.find((i: { caseId: string }) => i.caseId === caseId);
    expect(item).toMatchObject({ holder: 'village-shiban-2', escalationLevel: 'none', taskId });
    expect(Date.parse(item.heldSince)).toBeGreaterThan(0);
    const csv = await api.call('GET', '/supervision/stalled?format=csv', { as: 'supervisor' });
    expect(String(csv.body)).toContain('督办层级');
  });

  it("reassigns a payout's approval task the same way, recorded on the payout, which its limit has reminded", async () => {
    const householdId = await enrolHousehold(api, '6228480011113333');
    const fund = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: '临时救助 / Relief', jurisdiction: '522701', account: `6228${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}` },
    });
    await api.call('POST', `/funds/${fund.body.fundId}/deposits`, { as: 'fund-manager', body: { amountFen: 1_000_000, source: 'budget', reference: 'b' } });
    const d = await api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: { fundId: fund.body.fundId, payee: { type: 'household', householdId }, purpose: 'one_time_relief', amountFen: 150_000 },
    });
    expect(d.status).toBe(201);
    const id = d.body.disbursementId as string;
    const events = async () => (await api.db.pool.query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version', [id])).rows;
    // The limit (one second here) is the payee's place's, pinned on the request.
    expect((await events())[0].data.approvalPolicy).toEqual({ timeLimit: 'PT1S', escalateAfter: 'P3D' });
    await waitFor(async () => (await events()).some((e) => e.type === 'ApprovalReminderSent'), 30_000);

    const task = (await api.call('GET', '/tasks?limit=100', { as: 'town-heping' })).body.items.find(
      (t: { subjectKind: string; subjectId: string }) => t.subjectKind === 'disbursement' && t.subjectId === id,
    );
    expect(task).toBeDefined();
    const body = { toUserId: 'town-heping-2', reason: '原审批人外出 / the approver is away' };
    expect(
      (await api.call('POST', `/tasks/${task.taskId}/reassign`, { as: 'supervisor', headers: key(), body: { ...body, toUserId: 'county-office' } })).status,
    ).toBe(422);
    const r = await api.call('POST', `/tasks/${task.taskId}/reassign`, { as: 'supervisor', headers: key(), body });
    expect([r.status, r.body.holder]).toEqual([200, 'town-heping-2']);
    expect((await events()).find((e) => e.type === 'ApprovalTaskReassigned')?.data).toMatchObject({
      taskId: task.taskId,
      to: 'town-heping-2',
      by: 'supervisor',
    });
    // The new holder approves; the payout goes on to be paid.
    expect((await api.call('POST', `/disbursements/${id}/decisions`, { as: 'town-heping-2', body: { decision: 'approve' } })).status).toBe(200);
    await waitFor(async () => (await api.call('GET', `/disbursements/${id}`, { as: 'fund-manager' })).body.status === 'paid', 60_000);
  }, 180_000);

  it('takes a decision that lands in the same workflow task as the reminder, and the case goes on (the reminder, decided again, records nothing)', async () => {
    const r = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    const id = r.body.caseId as string;
    // The worker away: the step's 1 s limit passes on the server, and the decision waits for the
    // worker too, so that both arrive in one activation.
    await api.stopWorker();
    await new Promise((done) => setTimeout(done, 2_500));
    const decided = api.env.client.workflow.getHandle(id).executeUpdate(decideUpdate, {
      args: [
        {
          type: 'Decide',
          stage: 'village_evaluation',
          decision: 'approve',
          votes: { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 },
          householdHash: r.body.case.householdHash,
          actor: { userId: 'village-shiban', role: 'village_official', jurisdiction: SHIBAN },
        },
      ],
    });
    await new Promise((done) => setTimeout(done, 500));
    await api.startWorker();
    expect((await decided).stage).toBe('village_publicity');
    // The publicity period (1 s) ends on its timer: the case was not held behind a step that failed.
    await waitFor(async () => (await api.call('GET', `/cases/${id}`, { as: 'county-office' })).body.stage === 'town_audit', 60_000);
  }, 120_000);
});
