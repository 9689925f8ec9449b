import { RESIDENT_ID_MESSAGES, residentIdOf } from '../../src/domain/resident-id';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { ageOf, householdInput, memberInput, personIdNumber } from '../support/fixtures';

const SHIBAN = '522701101201';
const YANGLIU = '522701101202';
const rejectVotes = { representatives: 21, present: 18, for: 2, against: 15, abstain: 1 };

/**
 * Accurate identification: ID numbers are checked to GB 11643-1999 at the door, and a person
 * belongs to one applying or enrolled household in the whole deployment.
 */
describe('ID numbers and one person, one household', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  }, 120_000);
  afterAll(() => api?.close());

  const count = async (sql: string, params: unknown[] = []) => (await api.db.pool.query(sql, params)).rows[0].n as number;
  const recorded = async () => ({
    events: await count('SELECT count(*)::int AS n FROM events'),
    cases: await count('SELECT count(*)::int AS n FROM cases'),
    claims: await count('SELECT count(*)::int AS n FROM household_members'),
  });
  const apply = (household: unknown, village = SHIBAN, as = village === SHIBAN ? 'village-shiban' : 'village-yangliu') =>
    api.call('POST', '/applications', { as, body: { village, household } });
  const withHeadId = (idNumber: unknown) => {
    const h = householdInput() as unknown as { members: Record<string, unknown>[] };
    h.members[0] = { ...h.members[0], idNumber };
    delete h.members[0].age;
    return h;
  };
  const errorsOf = (body: { errors?: { path: string; message: string }[] }) => body.errors ?? [];

  describe('ID numbers checked to GB 11643-1999', () => {
    it.each([
      ['a wrong check digit (522701197003156101)', '522701197003156101', RESIDENT_ID_MESSAGES.check_digit],
      ['a birth date of 2030-13-01', (() => residentIdOf('522701', '2030-12-01', 1).replace('20301201', '20301301'))(), RESIDENT_ID_MESSAGES.birth_date],
      ['30 February', residentIdOf('522701', '1990-02-28', 1).replace('19900228', '19900230'), RESIDENT_ID_MESSAGES.birth_date],
      ['a birth date in the future', residentIdOf('522701', `${new Date().getUTCFullYear() + 1}-01-01`, 1), RESIDENT_ID_MESSAGES.future_birth],
      ['a region outside the provinces', residentIdOf('990101', '1970-01-01', 1), RESIDENT_ID_MESSAGES.region],
      ['a NUL character', '52270119700315610\u0000', RESIDENT_ID_MESSAGES.format],
      ['100,000 characters', '5'.repeat(100_000), RESIDENT_ID_MESSAGES.format],
    ])('%s: 400 naming the field, in Chinese first; nothing recorded', async (_, idNumber, message) => {
      const before = await recorded();
      const r = await apply(withHeadId(idNumber));
      expect(r.status).toBe(400);
      expect(errorsOf(r.body)).toEqual([{ path: 'body.household.members.0.idNumber', message }]);
      expect(message).toMatch(/^[\u4e00-\u9fff]/);
      expect(await recorded()).toEqual(before);
    });

    it('a number instead of a string: 400 naming the field; nothing recorded', async () => {
      const before = await recorded();
      const r = await apply(withHeadId(522701197003156108));
      expect(r.status).toBe(400);
      expect(errorsOf(r.body).map((e) => e.path)).toEqual(['body.household.members.0.idNumber']);
      expect(await recorded()).toEqual(before);
    });

    it('the age is read from the ID number; an age that disagrees is 400 naming it', async () => {
      const id = residentIdOf('522701', '1970-03-15', 610);
      const h = withHeadId(id);
      const wrong = await apply({ ...h, members: [{ ...h.members[0], age: ageOf(id) + 3 }, ...h.members.slice(1)] });
      expect(wrong.status).toBe(400);
      expect(errorsOf(wrong.body)).toEqual([
        { path: 'body.household.members.0.age', message: expect.stringMatching(new RegExp(`^年龄与身份证号的出生日期不符，应为 ${ageOf(id)} 岁`)) },
      ]);
      const r = await apply(h);
      expect(r.status).toBe(201);
      expect(r.body.case.household.members[0].age).toBe(ageOf(id));
    });

    it('the same ID number twice in one household: 400 naming both members; nothing recorded', async () => {
      const h = householdInput();
      h.members.push(memberInput('Zhang Xiao', 'child'), { ...h.members[1], name: 'Li Si again', relation: 'daughter-in-law' });
      const before = await recorded();
      const r = await apply(h);
      expect(r.status).toBe(400);
      expect(errorsOf(r.body)).toEqual([
        { path: 'body.household.members.1.idNumber', message: expect.stringContaining('与第 4 位成员相同') },
        { path: 'body.household.members.3.idNumber', message: expect.stringContaining('与第 2 位成员相同') },
      ]);
      expect(await recorded()).toEqual(before);
    });

    it('a lowercase x is the same check character: kept as X, and the same person as with X', async () => {
      const id = residentIdOf('110105', '1949-12-31', 2); // GB 11643-1999's own example: 11010519491231002X
      expect(id).toBe('11010519491231002X');
      const lower = householdInput();
      lower.members.push(memberInput('Grandfather', 'parent', { idNumber: id.toLowerCase() }));
      expect((await apply(lower)).status).toBe(201);
      const upper = householdInput();
      upper.members.push(memberInput('Grandfather', 'parent', { idNumber: id }));
      const r = await apply(upper, YANGLIU);
      expect(r.status).toBe(409);
      expect(errorsOf(r.body).map((e) => e.path)).toEqual(['body.household.members.2.idNumber']);
    });
  });

  describe('one person, one household', () => {
    it('a child already in a household of one village, named again in another village: 409 naming the member and, masked, where', async () => {
      const child = memberInput('Zhang Xiaoming', 'child');
      const first = householdInput();
      first.members.push(child);
      const a = await apply(first);
      expect(a.status).toBe(201);

      const second = householdInput();
      second.members.push({ ...child, relation: 'grandson' });
      const before = await recorded();
      const r = await apply(second, YANGLIU);
      expect(r.status).toBe(409);
      expect(r.body.type).toMatch(/member-in-another-household$/);
      const [error, ...more] = errorsOf(r.body);
      expect(more).toEqual([]);
      expect(error.path).toBe('body.household.members.2.idNumber');
      expect(error.message).toMatch(/^第 3 位成员（5227\*{10}\w{4}）已是Shiban Village（522701101201）户主 Z\*+（5227\*{10}\w{4}）家庭的成员/);
      // Nothing of either household in the clear: no ID number, no full name.
      const text = JSON.stringify(r.body);
      for (const m of [...first.members, ...second.members]) expect(text).not.toContain(m.idNumber);
      expect(text).not.toContain(first.members[0].name);
      expect(await recorded()).toEqual(before);
    });

    it('two applications naming the same person at once: exactly one is accepted', async () => {
      const shared = memberInput('Li Xiaohong', 'child');
      const households = Array.from({ length: 6 }, (_, i) => {
        const h = householdInput();
        h.members.push({ ...shared, relation: i % 2 ? 'niece' : 'child' });
        return h;
      });
      const answers = await Promise.all(households.map((h, i) => apply(h, i % 2 ? YANGLIU : SHIBAN)));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const winner = answers.findIndex((r) => r.status === 201);
      expect(await count('SELECT count(*)::int AS n FROM cases WHERE household_id = $1', [answers[winner].body.case.householdId])).toBe(1);
      for (const r of answers.filter((x) => x.status === 409)) expect(r.body.type).toMatch(/member-in-another-household$/);
      // A refused application holds no one: its household may apply without the shared person.
      const loser = (winner + 1) % households.length;
      const without = { ...households[loser], members: households[loser].members.filter((m) => m.idNumber !== shared.idNumber) };
      expect((await apply(without, loser % 2 ? YANGLIU : SHIBAN)).status).toBe(201);
    });

    it('a rejected household frees its members', async () => {
      const child = memberInput('Wang Xiaoli', 'child');
      const first = householdInput();
      first.members.push(child);
      const a = await apply(first);
      const second = householdInput();
      second.members.push(child);
      expect((await apply(second, YANGLIU)).status).toBe(409);
      const rejected = await api.call('POST', `/cases/${a.body.caseId}/decisions`, {
        as: 'village-shiban',
        body: { stage: 'village_evaluation', decision: 'reject', reason: 'above the line', votes: rejectVotes },
      });
      expect(rejected.body.status).toBe('rejected');
      await waitFor(async () => (await api.call('GET', `/cases/${a.body.caseId}`, { as: 'county-office' })).body.status === 'rejected', 30_000);
      const b = await apply(second, YANGLIU);
      expect(b.status).toBe(201);
      // The rejected household applying again now finds its child in the other household.
      const back = await apply(first);
      expect(back.status).toBe(409);
      expect(errorsOf(back.body).map((e) => e.path)).toEqual(['body.household.members.2.idNumber']);
      expect(errorsOf(back.body)[0].message).toContain('Yangliu Village');
    });

    it('the same application retried with its Idempotency-Key is not refused by its own members', async () => {
      const h = householdInput();
      const headers = { 'idempotency-key': `identity-retry-${personIdNumber()}` };
      const first = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: h }, headers });
      const again = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: h }, headers });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.caseId).toBe(first.body.caseId);
    });
  });

  describe('bulk intake: the same rules, row by row', () => {
    async function untilDone(batchId: string) {
      for (let i = 0; i < 240; i++) {
        const r = await api.call('GET', `/intake/batches/${batchId}`, { as: 'village-shiban' });
        if (r.body.status === 'done') return r.body;
        await new Promise((w) => setTimeout(w, 250));
      }
      throw new Error('the batch did not finish');
    }

    it('a wrong check digit, a person repeated in the file, and a person of another open household are refused, in Chinese first', async () => {
      const held = householdInput();
      expect((await apply(held, YANGLIU)).status).toBe(201);
      const badCheck = householdInput();
      const id = badCheck.members[0].idNumber;
      badCheck.members[0] = { ...badCheck.members[0], idNumber: id.slice(0, 17) + (id[17] === '0' ? '1' : '0') };
      const repeated = memberInput('Chen Xiaoyu', 'child');
      const withRepeated = householdInput();
      withRepeated.members.push(repeated);
      const repeatedAgain = householdInput();
      repeatedAgain.members.push({ ...repeated, relation: 'nephew' });
      const inAnother = householdInput();
      inAnother.members.push({ ...held.members[1], relation: 'sister' });
      const good = householdInput();
      const rows = [badCheck, withRepeated, repeatedAgain, inAnother, good];

      const r = await api.call('POST', '/intake/batches', { as: 'village-shiban', body: { village: SHIBAN, rows } });
      expect(r.status).toBe(202);
      expect(r.body.rejected).toEqual([
        { line: 1, errors: [{ path: 'members.0.idNumber', message: RESIDENT_ID_MESSAGES.check_digit }] },
        {
          line: 3,
          errors: [
            { path: 'members.2.idNumber', message: '此人已在第 2 行登记，一人只能属于一户 (this person is already on line 2: one person, one household)' },
          ],
        },
      ]);
      const done = await untilDone(r.body.batchId);
      expect(done.accepted.map((a: { line: number }) => a.line)).toEqual([2, 5]);
      const refused = done.rejected.find((x: { line: number }) => x.line === 4);
      expect(refused.errors).toEqual([{ path: 'members.2.idNumber', message: expect.stringMatching(/^第 3 位成员（5227\*{10}\w{4}）已是Yangliu Village/) }]);
      expect(JSON.stringify(done)).not.toContain(held.members[1].idNumber);
    });
  });

  describe('moving a member between households: a recorded correction', () => {
    const transfer = (from: string, body: unknown, as = 'village-shiban') => api.call('POST', `/households/${from}/members/transfer`, { as, body });
    const household = async (village = SHIBAN, extra: ReturnType<typeof memberInput>[] = []) => {
      const h = householdInput();
      h.members.push(...extra);
      const r = await apply(h, village);
      expect(r.status).toBe(201);
      return { input: h, id: r.body.case.householdId as string };
    };
    const streamEvents = async (householdId: string) =>
      (await api.db.pool.query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version', [`household-${householdId}`])).rows;

    it("moves a member on both households' streams, with who and why; the registry follows, and the person is now held by the household joined", async () => {
      const bride = memberInput('Li Xiaomei', 'child');
      const from = await household(SHIBAN, [bride]);
      const to = await household(YANGLIU);
      // A village official cannot reach the other village's household.
      const reason = 'married into the Yangliu household; registration moved';
      const denied = await transfer(from.id, { idNumber: bride.idNumber, toHouseholdId: to.id, relation: 'daughter-in-law', reason });
      expect(denied.status).toBe(403);
      // Nor can an applicant, or the county office (the town and the village keep the register).
      for (const as of ['applicant-shiban-1', 'county-office'])
        expect((await transfer(from.id, { idNumber: bride.idNumber, toHouseholdId: to.id, relation: 'daughter-in-law', reason }, as)).status).toBe(403);
      expect(await streamEvents(from.id)).toEqual([]);

      const r = await transfer(from.id, { idNumber: bride.idNumber, toHouseholdId: to.id, relation: 'daughter-in-law', reason }, 'town-heping');
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        fromHouseholdId: from.id,
        toHouseholdId: to.id,
        member: { relation: 'daughter-in-law', idMasked: expect.stringMatching(/^5227\*{10}/) },
      });
      const out = await streamEvents(from.id);
      const into = await streamEvents(to.id);
      expect(out).toEqual([
        { type: 'MemberTransferredOut', data: expect.objectContaining({ toHouseholdId: to.id, reason, by: 'town-heping', transferId: r.body.transferId }) },
      ]);
      expect(into).toEqual([
        { type: 'MemberTransferredIn', data: expect.objectContaining({ fromHouseholdId: from.id, reason, by: 'town-heping', transferId: r.body.transferId }) },
      ]);
      expect(JSON.stringify([out, into])).not.toContain(bride.idNumber);

      const names = async (id: string) =>
        (await api.call('GET', `/households/${id}`, { as: 'county-office' })).body.members.map((m: { name: string }) => m.name);
      expect(await names(from.id)).not.toContain(bride.name);
      expect(await names(to.id)).toContain(bride.name);

      // Held by the household joined now: another application naming her is told where she is.
      const third = householdInput();
      third.members.push({ ...bride, relation: 'child' });
      const again = await apply(third);
      expect(again.status).toBe(409);
      expect(errorsOf(again.body)[0].message).toContain('Yangliu Village');
      // The household left may name her no more either.
      const back = await transfer(from.id, { idNumber: bride.idNumber, toHouseholdId: to.id, relation: 'daughter-in-law', reason }, 'town-heping');
      expect(back.status).toBe(422);
    });

    it('refuses the head, a person not in the household, a household left the register, and bad input; nothing recorded', async () => {
      const from = await household(SHIBAN, [memberInput('Zhao Xiaogang', 'child')]);
      const to = await household(SHIBAN);
      const body = (over: Record<string, unknown>) => ({
        idNumber: from.input.members[2].idNumber,
        toHouseholdId: to.id,
        relation: 'nephew',
        reason: 'household divided',
        ...over,
      });
      const before = await recorded();
      expect((await transfer(from.id, body({ idNumber: from.input.members[0].idNumber }))).status).toBe(422);
      expect((await transfer(from.id, body({ idNumber: personIdNumber() }))).status).toBe(422);
      expect((await transfer(from.id, body({ toHouseholdId: from.id }))).status).toBe(422);
      const missing = await transfer(from.id, body({ toHouseholdId: 'hh-00000000-0000-4000-8000-000000000000' }));
      expect([missing.status, errorsOf(missing.body).map((e) => e.path)]).toEqual([404, ['body.toHouseholdId']]);
      for (const [over, path] of [
        [{ idNumber: 522701197003156108 }, 'body.idNumber'],
        [{ idNumber: '522701197003156101' }, 'body.idNumber'],
        [{ relation: 'niece\u0000' }, 'body.relation'],
        [{ reason: 'x'.repeat(100_000) }, 'body.reason'],
        [{ toHouseholdId: 42 }, 'body.toHouseholdId'],
      ] as const) {
        const r = await transfer(from.id, body(over));
        expect([r.status, errorsOf(r.body).map((e) => e.path)]).toEqual([400, [path]]);
      }
      expect(await recorded()).toEqual(before);

      const rejected = await household(SHIBAN);
      await api.call('POST', `/cases/${(await api.call('GET', `/households/${rejected.id}`, { as: 'county-office' })).body.currentCaseId}/decisions`, {
        as: 'village-shiban',
        body: { stage: 'village_evaluation', decision: 'reject', reason: 'above the line', votes: rejectVotes },
      });
      await waitFor(async () => (await api.call('GET', `/households/${rejected.id}`, { as: 'county-office' })).body.status === 'rejected', 30_000);
      expect((await transfer(from.id, body({ toHouseholdId: rejected.id }))).status).toBe(409);
      expect(await streamEvents(from.id)).toEqual([]);
    });
  });
});
