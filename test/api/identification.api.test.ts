import { upsertUsers } from '../../src/directory/directory';
import { hashIdNumber } from '../../src/store/household-intake';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput, ID_KEY, memberInput, personIdNumber } from '../support/fixtures';
import { waitFor } from '../support/case-harness';

const SHIBAN = '522701101201';
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };

/** The identification procedure through the HTTP API, on the real dev server, with short periods. */
describe('identification through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT2S', STAGE_TIME_LIMIT: 'PT1S', ID_HASH_KEY: ID_KEY });
  });
  afterAll(() => api?.close());

  async function newCase(as = 'applicant-shiban-1', village = SHIBAN, household = householdInput()) {
    const r = await api.call('POST', '/applications', { as, body: { village, household } });
    expect(r.status).toBe(201);
    return r.body.case as { caseId: string; householdHash: string };
  }
  const decide = (caseId: string, as: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api.call('POST', `/cases/${caseId}/decisions`, { as, body, headers });
  const stageOf = async (caseId: string) => (await api.call('GET', `/cases/${caseId}`, { as: 'county-office' })).body.stage as string;
  const waitStage = (caseId: string, stage: string) => waitFor(async () => (await stageOf(caseId)) === stage, 30_000);

  it('walks a case through every stage to enrolment, with an objection held and resolved, and times it', async () => {
    const started = Date.now();
    const c = await newCase();
    let r = await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes, householdHash: c.householdHash });
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe('village_publicity');

    const obj = await api.call('POST', `/cases/${c.caseId}/objections`, { as: 'applicant-baiyun-1', body: { grounds: 'they have a new car' } });
    expect(obj.status).toBe(201);
    // The period ends but the open objection holds the case.
    await waitFor(async () => (await api.call('GET', `/cases/${c.caseId}`, { as: 'village-shiban' })).body.publicity?.ended === true, 30_000);
    expect((await api.call('GET', `/cases/${c.caseId}`, { as: 'village-shiban' })).body.pendingTask).toMatchObject({
      kind: 'objections',
      role: ['village_official', 'town_official'],
    });
    expect(await stageOf(c.caseId)).toBe('village_publicity');
    expect((await api.call('POST', `/cases/${c.caseId}/objections`, { as: 'applicant-baiyun-1', body: { grounds: 'too late' } })).status).toBe(409);
    r = await api.call('POST', `/objections/${obj.body.objectionId}/resolution`, {
      as: 'town-heping',
      body: { substantiated: false, finding: "the car is the cousin's" },
    });
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe('town_audit');

    // The town's inbox shows the task with the household hash to decide on; one official claims it.
    const inbox = await api.call('GET', '/tasks', { as: 'town-heping' });
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === c.caseId);
    expect(task).toMatchObject({ kind: 'decision', stage: 'town_audit', roles: ['town_official'], householdHash: c.householdHash });
    expect(task).toMatchObject({ subjectType: 'case', subjectKind: 'case', subjectId: c.caseId, jurisdiction: task.location.village });
    expect((await api.call('GET', '/tasks', { as: 'town-dongfeng' })).body.items.map((t: { caseId: string }) => t.caseId)).not.toContain(c.caseId);
    expect((await api.call('POST', `/tasks/${task.taskId}/claim`, { as: 'town-heping' })).status).toBe(200);
    expect((await api.call('POST', `/tasks/${task.taskId}/claim`, { as: 'town-heping' })).status).toBe(200);
    const taken = await api.call('POST', `/tasks/${task.taskId}/claim`, { as: 'town-heping-2' });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/held by town-heping/);
    expect((await api.call('GET', `/cases/${c.caseId}`, { as: 'town-heping' })).body.pendingTask.holder).toBe('town-heping');
    expect((await api.call('POST', `/tasks/${task.taskId}/release`, { as: 'town-heping-2' })).status).toBe(409);
    expect((await api.call('POST', `/tasks/${task.taskId}/release`, { as: 'town-heping' })).body.holder).toBeNull();
    expect((await api.call('GET', `/cases/${c.caseId}`, { as: 'town-heping' })).body.pendingTask.holder).toBeNull();
    expect((await api.call('POST', `/tasks/${task.taskId}/claim`, { as: 'town-heping' })).status).toBe(200);

    r = await decide(c.caseId, 'town-heping', { stage: 'town_audit', decision: 'approve', householdHash: task.householdHash });
    expect(r.body.stage).toBe('town_publicity');
    await waitStage(c.caseId, 'county_approval');
    r = await decide(c.caseId, 'county-office', { stage: 'county_approval', decision: 'approve', householdHash: c.householdHash });
    expect(r.body).toMatchObject({ stage: 'enrolled', status: 'enrolled', pendingTask: null });
    const elapsed = Date.now() - started;
    process.stdout.write(`\n[measure] one case end to end on the dev server (publicity PT2S x2, objection held and resolved): ${elapsed} ms\n`);

    const household = await api.db.pool.query('SELECT status FROM households WHERE current_case_id = $1', [c.caseId]);
    expect(household.rows[0].status).toBe('enrolled');
    const types = (await api.call('GET', `/cases/${c.caseId}/events?limit=100`, { as: 'auditor' })).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'ApplicationSubmitted',
      'StageEntered',
      'StageDecided',
      'StageEntered',
      'ObjectionLodged',
      'PublicityEnded',
      'ObjectionResolved',
      'StageEntered',
      'StageDecided',
      'StageEntered',
      'PublicityEnded',
      'StageEntered',
      'StageDecided',
      'CaseAnnounced',
      'HouseholdEnrolled',
    ]);
  });

  it('returns a case to the village, which appraises it again, keeping the whole history', async () => {
    const c = await newCase();
    await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes, householdHash: c.householdHash });
    await waitStage(c.caseId, 'town_audit');
    const back = await decide(c.caseId, 'town-heping', { stage: 'town_audit', decision: 'return', reason: 'income of the son in the city is missing' });
    expect(back.body).toMatchObject({ stage: 'village_evaluation', reason: 'income of the son in the city is missing' });
    const again = await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    expect(again.body.stage).toBe('village_publicity');
    const events = (await api.call('GET', `/cases/${c.caseId}/events`, { as: 'auditor' })).body.events.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === 'StageDecided')).toHaveLength(3);
    expect(events).toContain('CaseReturned');
  });

  it('records an appraisal without quorum and keeps the case at village evaluation', async () => {
    const c = await newCase();
    const r = await decide(c.caseId, 'village-shiban', {
      stage: 'village_evaluation',
      decision: 'approve',
      votes: { representatives: 21, present: 10, for: 10, against: 0, abstain: 0 },
    });
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe('village_evaluation');
    const last = (await api.call('GET', `/cases/${c.caseId}/events`, { as: 'auditor' })).body.events.at(-1);
    expect(last).toMatchObject({ type: 'AppraisalInvalid', data: { why: 'no quorum: 10 of 21 present, 14 needed' } });
  });

  it('rejects at each decision stage with a reason the applicant can read', async () => {
    const atVillage = await newCase();
    await decide(atVillage.caseId, 'village-shiban', {
      stage: 'village_evaluation',
      decision: 'reject',
      reason: 'above the line',
      votes: { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 },
    });
    const atTown = await newCase();
    await decide(atTown.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    await waitStage(atTown.caseId, 'town_audit');
    await decide(atTown.caseId, 'town-heping', { stage: 'town_audit', decision: 'reject', reason: 'owns a second house' });
    const atCounty = await newCase();
    await decide(atCounty.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    await waitStage(atCounty.caseId, 'town_audit');
    await decide(atCounty.caseId, 'town-heping', { stage: 'town_audit', decision: 'approve' });
    await waitStage(atCounty.caseId, 'county_approval');
    await decide(atCounty.caseId, 'county-office', { stage: 'county_approval', decision: 'reject', reason: 'duplicate registration in another county' });
    for (const [c, reason] of [
      [atVillage, 'above the line'],
      [atTown, 'owns a second house'],
      [atCounty, 'duplicate registration in another county'],
    ] as const) {
      const seen = await api.call('GET', `/cases/${c.caseId}`, { as: 'applicant-shiban-1' });
      expect(seen.body).toMatchObject({ status: 'rejected', stage: 'rejected', reason });
      expect((await decide(c.caseId, 'county-office', { stage: 'county_approval', decision: 'approve' })).status).toBe(409);
    }
  });

  it('lets exactly one of two officials racing the same decision win (one 200, one 409)', async () => {
    const c = await newCase();
    await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    await waitStage(c.caseId, 'town_audit');
    const [a, b] = await Promise.all([
      decide(c.caseId, 'town-heping', { stage: 'town_audit', decision: 'approve' }),
      decide(c.caseId, 'town-heping-2', { stage: 'town_audit', decision: 'reject', reason: 'not poor' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const decided = (await api.call('GET', `/cases/${c.caseId}/events`, { as: 'auditor' })).body.events.filter(
      (e: { type: string; data: { stage: string } }) => e.type === 'StageDecided' && e.data.stage === 'town_audit',
    );
    expect(decided).toHaveLength(1);
  });

  it('answers 409 case-closed, not 404, to a decision that reached the case after another step ended it', async () => {
    const c = await newCase();
    const rejected = await decide(c.caseId, 'village-shiban', {
      stage: 'village_evaluation',
      decision: 'reject',
      reason: 'above the line',
      votes: { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 },
    });
    expect(rejected.body.status).toBe('rejected');
    await waitFor(async () => (await api.env.client.workflow.getHandle(c.caseId).describe()).status.name === 'COMPLETED');
    // The race lost: this request read the case as open just before the rejection ended it (and its workflow).
    await api.db.pool.query("UPDATE cases SET status = 'open' WHERE case_id = $1", [c.caseId]);
    const late = await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    expect([late.status, late.body.type]).toEqual([409, expect.stringMatching(/case-closed$/)]);
    const objection = await api.call('POST', `/cases/${c.caseId}/objections`, { as: 'applicant-shiban-1', body: { grounds: '该户收入不低' } });
    expect(objection.status).toBe(409);
  });

  it('answers a retried decision with the same Idempotency-Key with the same answer and one event', async () => {
    const c = await newCase();
    const body = { stage: 'village_evaluation', decision: 'approve', votes };
    const first = await decide(c.caseId, 'village-shiban', body, { 'idempotency-key': 'decide-once' });
    const retry = await decide(c.caseId, 'village-shiban', body, { 'idempotency-key': 'decide-once' });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const decided = (await api.call('GET', `/cases/${c.caseId}/events`, { as: 'auditor' })).body.events.filter(
      (e: { type: string }) => e.type === 'StageDecided',
    );
    expect(decided).toHaveLength(1);
  });

  it('refuses (409) a decision made on a household record that has changed since it was read', async () => {
    const c = await newCase();
    const r = await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes, householdHash: 'f'.repeat(64) });
    expect(r.status).toBe(409);
    expect(r.body.type).toMatch(/stale-household/);
    expect(await stageOf(c.caseId)).toBe('village_evaluation');
  });

  it('forbids one official from deciding two stages of the same case', async () => {
    await upsertUsers(api.db.pool, [{ userId: 'town-heping', name: 'x', role: 'village_official', jurisdiction: SHIBAN, token: api.tokens['town-heping'] }]);
    const c = await newCase();
    try {
      expect((await decide(c.caseId, 'town-heping', { stage: 'village_evaluation', decision: 'approve', votes })).status).toBe(200);
    } finally {
      await upsertUsers(api.db.pool, [
        { userId: 'town-heping', name: 'Heping town workstation', role: 'town_official', jurisdiction: '522701101', token: api.tokens['town-heping'] },
      ]);
    }
    await waitStage(c.caseId, 'town_audit');
    const r = await decide(c.caseId, 'town-heping', { stage: 'town_audit', decision: 'approve' });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/another official must decide/);
  });

  it('forbids deciding for a household the official belongs to or is related to', async () => {
    const own = householdInput();
    const c = await newCase('applicant-shiban-1', SHIBAN, own);
    const memberId = own.members[1].idNumber;
    await upsertUsers(api.db.pool, [
      {
        userId: 'village-relative',
        name: 'relative',
        role: 'village_official',
        jurisdiction: SHIBAN,
        token: 'tok-relative-0123456789',
        idHash: hashIdNumber(memberId, ID_KEY),
      },
    ]);
    const r = await decide(c.caseId, 'tok-relative-0123456789', { stage: 'village_evaluation', decision: 'approve', votes });
    expect(r.status).toBe(403);
    // A relative: registered with one of this household's members in another household, one
    // since rejected (a person is in one open household at a time), which frees its members.
    const cousinId = personIdNumber();
    const brother = memberInput('Brother', 'brother');
    const other = householdInput();
    other.members.push(memberInput('Cousin', 'nephew', { idNumber: cousinId }), brother);
    const o = await newCase('village-shiban', SHIBAN, other);
    await decide(o.caseId, 'village-shiban', {
      stage: 'village_evaluation',
      decision: 'reject',
      reason: 'not poor',
      votes: { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 },
    });
    await waitFor(async () => (await api.call('GET', `/cases/${o.caseId}`, { as: 'county-office' })).body.status === 'rejected', 30_000);
    const brothers = householdInput({ members: [{ ...brother, relation: 'head' }] });
    const c2 = await newCase('village-shiban', SHIBAN, brothers);
    await upsertUsers(api.db.pool, [
      {
        userId: 'village-cousin',
        name: 'cousin',
        role: 'village_official',
        jurisdiction: SHIBAN,
        token: 'tok-cousin-0123456789',
        idHash: hashIdNumber(cousinId, ID_KEY),
      },
    ]);
    const related = await decide(c2.caseId, 'tok-cousin-0123456789', { stage: 'village_evaluation', decision: 'approve', votes });
    expect(related.status).toBe(403);
    expect(related.body.detail).toMatch(/related/);
  });

  it('records every denial as an event on the audit stream', async () => {
    const count = async () => (await api.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'AccessDenied'`)).rows[0].n;
    const before = await count();
    const c = await newCase();
    expect((await decide(c.caseId, 'village-baiyun', { stage: 'village_evaluation', decision: 'approve', votes })).status).toBe(403);
    expect((await api.call('GET', '/supervision/stalled', { as: 'applicant-shiban-1' })).status).toBe(403);
    expect(await count()).toBe(before + 2);
    const last = (await api.db.pool.query(`SELECT data FROM events WHERE type = 'AccessDenied' ORDER BY global_position DESC LIMIT 1`)).rows[0].data;
    expect(last).toMatchObject({ userId: 'applicant-shiban-1', path: '/supervision/stalled' });
  });

  it('shows supervisors stalled cases with stage, holder and days overdue, and a summary per stage and town', async () => {
    const c = await newCase(); // the stage limit is one second in this suite
    await new Promise((r) => setTimeout(r, 1500));
    const stalled = await api.call('GET', '/supervision/stalled?stage=village_evaluation&limit=100', { as: 'supervisor' });
    expect(stalled.status).toBe(200);
    expect(stalled.body.items.find((i: { caseId: string }) => i.caseId === c.caseId)).toMatchObject({
      stage: 'village_evaluation',
      village: SHIBAN,
      daysOverdue: 0,
      holder: null,
    });
    const summary = await api.call('GET', '/supervision/summary', { as: 'supervisor' });
    const row = summary.body.rows.find((r: { stage: string; jurisdiction: string }) => r.stage === 'village_evaluation' && r.jurisdiction === '522701101');
    const openHere = (
      await api.db.pool.query(`SELECT count(*)::int AS n FROM cases WHERE status = 'open' AND stage = 'village_evaluation' AND town = '522701101'`)
    ).rows[0].n;
    expect(row.open).toBe(openHere);
    expect(row.overdue).toBeGreaterThanOrEqual(1);
    expect(
      (await api.call('GET', '/supervision/stalled?jurisdiction=522701102', { as: 'supervisor' })).body.items.every(
        (i: { town: string }) => i.town === '522701102',
      ),
    ).toBe(true);
  });

  it('takes an enrolled household out through verification, publicity and announcement, then lets it apply again, linking the cases', async () => {
    const household = householdInput();
    const c = await newCase('applicant-shiban-1', SHIBAN, household);
    await decide(c.caseId, 'village-shiban', { stage: 'village_evaluation', decision: 'approve', votes });
    await waitStage(c.caseId, 'town_audit');
    await decide(c.caseId, 'town-heping', { stage: 'town_audit', decision: 'approve' });
    await waitStage(c.caseId, 'county_approval');
    const enrolled = await decide(c.caseId, 'county-office', { stage: 'county_approval', decision: 'approve' });
    const householdId = enrolled.body.householdId as string;
    expect((await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: SHIBAN, household } })).status).toBe(409);

    const exit = await api.call('POST', `/households/${householdId}/exit`, {
      as: 'village-shiban',
      body: { reason: 'income above the line two years running' },
    });
    expect(exit.status).toBe(201);
    expect(exit.body).toMatchObject({ stage: 'exit_verification', status: 'open', case: { previousCaseId: c.caseId } });
    expect((await api.call('POST', `/households/${householdId}/exit`, { as: 'village-shiban', body: { reason: 'again' } })).status).toBe(409);
    const verified = await decide(exit.body.caseId, 'town-heping-2', { stage: 'exit_verification', decision: 'approve' });
    expect(verified.body.stage).toBe('exit_publicity');
    await waitStage(exit.body.caseId, 'exited');
    const exitEvents = (await api.call('GET', `/cases/${exit.body.caseId}/events`, { as: 'auditor' })).body.events.map((e: { type: string }) => e.type);
    expect(exitEvents).toEqual(['ExitProposed', 'StageEntered', 'StageDecided', 'StageEntered', 'PublicityEnded', 'CaseAnnounced', 'HouseholdExited']);

    const again = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: SHIBAN, household } });
    expect(again.status).toBe(201);
    expect(again.body.case.previousCaseId).toBe(exit.body.caseId);
    const registry = await api.call('GET', `/households/${householdId}`, { as: 'town-heping' });
    expect(registry.body).toMatchObject({
      status: 'applying',
      currentCaseId: again.body.caseId,
      housingGrade: household.housingGrade,
      primaryCause: household.primaryCause,
    });
    expect(registry.body.cases.map((x: { procedure: string; status: string }) => `${x.procedure}:${x.status}`)).toEqual([
      'entry:enrolled',
      'exit:exited',
      'entry:open',
    ]);
    expect((await api.call('GET', `/households/${householdId}`, { as: 'town-dongfeng' })).status).toBe(403);
  });

  it('lets a rejected household apply again, linking the new case to the rejected one', async () => {
    const household = householdInput();
    const c = await newCase('applicant-shiban-1', SHIBAN, household);
    await decide(c.caseId, 'village-shiban', {
      stage: 'village_evaluation',
      decision: 'reject',
      reason: 'above the line',
      votes: { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 },
    });
    const again = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: SHIBAN, household } });
    expect(again.status).toBe(201);
    expect(again.body.case.previousCaseId).toBe(c.caseId);
  });

  it('runs publicity periods as configured for the jurisdiction, the most specific setting winning', async () => {
    const YANGLIU = '522701101202';
    expect((await api.call('POST', `/jurisdictions/${YANGLIU}/settings`, { as: 'town-heping', body: { publicityPeriod: 'P1D' } })).status).toBe(403);
    expect((await api.call('POST', '/jurisdictions/522701101/settings', { as: 'county-office', body: { publicityPeriod: 'P3D' } })).status).toBe(200);
    const set = await api.call('POST', `/jurisdictions/${YANGLIU}/settings`, { as: 'county-office', body: { publicityPeriod: 'PT24H' } });
    expect(set.body).toEqual({ code: YANGLIU, publicityPeriod: 'PT24H', stageTimeLimit: 'PT1S', escalateAfter: 'P3D' });
    expect((await api.call('GET', '/jurisdictions/522701101201/settings', { as: 'village-shiban' })).body.publicityPeriod).toBe('P3D');
    const c = await newCase('village-yangliu', YANGLIU);
    const r = await decide(c.caseId, 'village-yangliu', { stage: 'village_evaluation', decision: 'approve', votes });
    expect(Date.parse(r.body.publicity.endsAt) - Date.parse(r.body.deadlines.stageEnteredAt)).toBe(86_400_000);
    await api.db.pool.query(`DELETE FROM jurisdiction_settings`);
  });
});
