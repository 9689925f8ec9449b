import { brotliCompressSync, gzipSync } from 'node:zlib';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { goodVotes, householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';

/**
 * Input that reached a 500 (an infinite number or deep nesting hashed for the Idempotency-Key,
 * a body that does not decompress) or that means two things (a key given twice, bytes that are
 * not UTF-8, `1.0` for an integer, counts impossible on their face): each is a 4xx naming the
 * field, and nothing is recorded.
 */
describe('hostile input', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api?.close());

  const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);
  const count = async (table: string) => Number((await api.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  /**
   * Runs `refused` and checks that it wrote no event and no intake batch; refused before it is
   * read (`unread`), not even the Idempotency-Key (a validation error is the key's kept answer).
   */
  async function recordsNothing<T>(refused: () => Promise<T>, { unread = false } = {}): Promise<T> {
    const tables = ['events', 'intake_batches', ...(unread ? ['idempotency_keys'] : [])];
    const before = await Promise.all(tables.map(count));
    const result = await refused();
    expect(Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])))).toEqual(
      Object.fromEntries(tables.map((t, i) => [t, before[i]])),
    );
    return result;
  }
  async function newCase() {
    const r = await api.call('POST', '/applications', { as: 'village-shiban', body: { village: SHIBAN, household: householdInput() } });
    expect(r.status).toBe(201);
    return r.body.case as { caseId: string };
  }
  const stageOf = async (caseId: string) => (await api.call('GET', `/cases/${caseId}`, { as: 'village-shiban' })).body.stage as string;
  /** A raw request: bytes as they are, and any headers. */
  async function send(method: string, path: string, body: Buffer | string | undefined, headers: Record<string, string> = {}) {
    const res = await fetch(`${api.baseUrl}${path}`, { method, body, headers });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  const asShiban = (key?: string) => ({
    authorization: `Bearer ${api.tokens['village-shiban']}`,
    'content-type': 'application/json',
    ...(key ? { 'idempotency-key': key } : {}),
  });
  const decision = (votes: string) => `{"stage":"village_evaluation","decision":"approve","votes":${votes}}`;

  describe('no input reaches a 500', () => {
    let caseId: string;
    beforeAll(async () => {
      caseId = (await newCase()).caseId;
    });

    it.each(['1e999', '-1e309'])(
      'a number that overflows (%s), with an Idempotency-Key, is 400 naming the field, as without one; the key stays free',
      async (literal) => {
        const body = decision(`{"representatives":21,"present":${literal},"for":15,"against":2,"abstain":1}`);
        for (const key of [`overflow-${literal}`, undefined]) {
          const r = await recordsNothing(() => send('POST', `/cases/${caseId}/decisions`, body, asShiban(key)), { unread: true });
          expect(r.status).toBe(400);
          expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
          expect(paths(r)).toEqual(['body.votes.present']);
        }
      },
    );

    it('nesting 3,000 levels deep, with an Idempotency-Key, is 400 naming body; the same key then takes a valid request', async () => {
      const deep = `{"stage":"village_evaluation","decision":"approve","reason":${'['.repeat(3000)}${']'.repeat(3000)}}`;
      const r = await recordsNothing(() => send('POST', `/cases/${caseId}/decisions`, deep, asShiban('deep-1')), { unread: true });
      expect(r.status).toBe(400);
      expect(paths(r)[0]).toMatch(/^body\.reason/);
      expect(r.body.errors[0].message).toMatch(/64/);
      const ok = await send('POST', `/cases/${caseId}/decisions`, decision(JSON.stringify(goodVotes)), asShiban('deep-1'));
      expect(ok.status).toBe(200);
    });

    it('POST /intake/batches with "rows":[1e999] is 400 naming body.rows.0, without a key too', async () => {
      for (const key of [undefined, 'rows-overflow']) {
        const r = await recordsNothing(() => send('POST', '/intake/batches', `{"village":"${SHIBAN}","rows":[1e999]}`, asShiban(key)), { unread: true });
        expect(r.status).toBe(400);
        expect(paths(r)).toEqual(['body.rows.0']);
      }
    });

    it.each(['gzip', 'deflate', 'br'])('a body that does not decompress as %s is 400 problem+json naming body, with or without a token', async (encoding) => {
      const garbage = Buffer.from('this is not compressed at all, not even a little');
      for (const headers of [{}, asShiban()]) {
        for (const path of ['/funds', `/cases/${caseId}/decisions`, '/auth/login']) {
          const r = await recordsNothing(() => send('POST', path, garbage, { 'content-type': 'application/json', ...headers, 'content-encoding': encoding }));
          expect({ path, status: r.status }).toEqual({ path, status: 400 });
          expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
          expect(paths(r)).toEqual(['body']);
        }
      }
      // What does decompress is read as usual.
      const json = Buffer.from(decision(JSON.stringify({ ...goodVotes, present: 99 })));
      const packed = encoding === 'br' ? brotliCompressSync(json) : encoding === 'gzip' ? gzipSync(json) : undefined;
      if (packed) {
        const r = await send('POST', `/cases/${caseId}/decisions`, packed, { ...asShiban(), 'content-encoding': encoding });
        expect([r.status, paths(r)]).toEqual([400, ['body.votes.present']]);
      }
    });
  });

  describe('no input means two things', () => {
    it('a key given twice is 400 naming it ("reject" … then "approve" was approved); the case stays where it was', async () => {
      const { caseId } = await newCase();
      const twice = `{"stage":"village_evaluation","decision":"reject","reason":"no","votes":${JSON.stringify(goodVotes)},"decision":"approve"}`;
      for (const key of [undefined, 'twice-1']) {
        const r = await recordsNothing(() => send('POST', `/cases/${caseId}/decisions`, twice, asShiban(key)), { unread: true });
        expect(r.status).toBe(400);
        expect(paths(r)).toEqual(['body.decision']);
      }
      const nested = await send(
        'POST',
        `/cases/${caseId}/decisions`,
        decision('{"representatives":21,"present":18,"for":15,"against":2,"abstain":1,"for":18}'),
        asShiban(),
      );
      expect(paths(nested)).toEqual(['body.votes.for']);
      expect(await stageOf(caseId)).toBe('village_evaluation');
    });

    it.each([
      ['ff fe', Buffer.from([0xff, 0xfe])],
      ['an overlong NUL (c0 80)', Buffer.from([0xc0, 0x80])],
      ['a surrogate (ed a0 80)', Buffer.from([0xed, 0xa0, 0x80])],
    ])('bytes that are not UTF-8, %s, are 400 naming body, not stored as U+FFFD', async (_what, bytes) => {
      const { caseId } = await newCase();
      const body = Buffer.concat([Buffer.from('{"grounds":"a new car '), bytes, Buffer.from('"}')]);
      const r = await recordsNothing(
        () =>
          send('POST', `/cases/${caseId}/objections`, body, {
            authorization: `Bearer ${api.tokens['applicant-baiyun-1']}`,
            'content-type': 'application/json; charset=utf-8',
            'idempotency-key': `utf8-${bytes.toString('hex')}`,
          }),
        { unread: true },
      );
      expect(r.status).toBe(400);
      expect(paths(r)).toEqual(['body']);
      expect(r.body.errors[0].message).toContain('UTF-8');
    });

    it('vote counts impossible on their face are 400 naming the count (present 99 of 21 was an invalid appraisal, 200), nothing recorded', async () => {
      const { caseId } = await newCase();
      const impossible: [Record<string, number>, string][] = [
        [{ ...goodVotes, present: 99 }, 'body.votes.present'],
        [{ representatives: 21, present: 10, for: 15, against: 0, abstain: 0 }, 'body.votes.for'],
        [{ representatives: 21, present: 18, for: 15, against: 3, abstain: 2 }, 'body.votes.present'], // 20 cast by 18 present
        [{ ...goodVotes, against: -2 }, 'body.votes.against'],
      ];
      for (const [votes, path] of impossible) {
        const r = await recordsNothing(() => send('POST', `/cases/${caseId}/decisions`, decision(JSON.stringify(votes)), asShiban()));
        expect({ votes, status: r.status, paths: paths(r) }).toEqual({ votes, status: 400, paths: [path] });
      }
      expect(await stageOf(caseId)).toBe('village_evaluation');
    });

    it.each(['21.0', '2.1E1', '-0'])('an integer field refuses %s (an integer literal only), where a fractional field takes 1.0', async (literal) => {
      const { caseId } = await newCase();
      const votes =
        literal === '-0'
          ? '{"representatives":21,"present":18,"for":15,"against":3,"abstain":-0}'
          : `{"representatives":${literal},"present":18,"for":15,"against":2,"abstain":1}`;
      const r = await recordsNothing(() => send('POST', `/cases/${caseId}/decisions`, decision(votes), asShiban(`int-${literal}`)));
      expect([r.status, paths(r)]).toEqual([400, [literal === '-0' ? 'body.votes.abstain' : 'body.votes.representatives']]);

      const household = JSON.stringify({ village: SHIBAN, household: { ...householdInput(), landMu: 3 } })
        .replace(/"age":(\d+)/, `"age":$1.0`)
        .replace('"landMu":3', '"landMu":3.0');
      const apply = await recordsNothing(() => send('POST', '/applications', household, asShiban()));
      expect([apply.status, paths(apply)]).toEqual([400, ['body.household.members.0.age']]);
      const fractionalOnly = JSON.stringify({ village: SHIBAN, household: { ...householdInput(), landMu: 3 } }).replace('"landMu":3', '"landMu":3.0');
      expect((await send('POST', '/applications', fractionalOnly, asShiban())).status).toBe(201);
    });

    it('an intake row with an age written with an exponent (56E0) is refused on its own', async () => {
      // The age the ID number gives, so that the literal is the row's only fault.
      const rows = JSON.stringify([householdInput(), householdInput()]);
      const second = rows.lastIndexOf('"age":');
      const bad = `${rows.slice(0, second)}${rows.slice(second).replace(/^"age":(\d+)/, '"age":$1E0')}`;
      const r = await send('POST', '/intake/batches', `{"village":"${SHIBAN}","rows":${bad}}`, asShiban());
      expect(r.status).toBe(202);
      expect(r.body.rejected).toEqual([{ line: 2, errors: [expect.objectContaining({ path: expect.stringMatching(/^members\.\d+\.age$/) })] }]);
    });
  });

  describe('the contract', () => {
    it('GET /cases/decisions is 405 with Allow: POST, OPTIONS (not a case id), and OPTIONS does not offer GET', async () => {
      for (const method of ['GET', 'HEAD', 'PATCH']) {
        const r = await send(method, '/cases/decisions', undefined, { authorization: `Bearer ${api.tokens['village-shiban']}` });
        expect({ method, status: r.status, allow: r.headers.get('allow') }).toEqual({ method, status: 405, allow: 'POST, OPTIONS' });
      }
      const options = await send('OPTIONS', '/cases/decisions', undefined);
      expect([options.status, options.headers.get('allow')]).toEqual([204, 'POST, OPTIONS']);
      // A case id on the parameter route is served as before.
      expect((await send('OPTIONS', `/cases/case-${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, undefined)).headers.get('allow')).toBe(
        'GET, HEAD, OPTIONS',
      );
    });

    it('a NUL in GET /audit/denials?user= is 400 naming query.user', async () => {
      const r = await api.call('GET', '/audit/denials?user=a%00b', { as: 'auditor' });
      expect([r.status, paths(r)]).toEqual([400, ['query.user']]);
      // No parameter is free text: a control character is refused in any, naming it.
      const cursor = await api.call('GET', '/cases?cursor=a%07b', { as: 'town-heping' });
      expect([cursor.status, paths(cursor)]).toEqual([400, ['query.cursor']]);
    });

    it('a repayment received on 0000-01-01 is 400 naming body.receivedOn', async () => {
      const r = await recordsNothing(() =>
        api.call('POST', '/loans/loan-00000000/repayments', {
          as: 'cashier',
          body: { amountFen: 100, method: 'cash', reference: 'R-1', receivedOn: '0000-01-01' },
          headers: { 'idempotency-key': 'day-zero' },
        }),
      );
      expect([r.status, paths(r)]).toEqual([400, ['body.receivedOn']]);
    });

    it('?stage[]=…, ?village[a]=… and a repeated ?stage= are 400 naming the parameter, not an unfiltered 200', async () => {
      for (const [query, path] of [
        ['stage[]=village_evaluation', 'query.stage'],
        ['village[a]=522701101201', 'query.village'],
        ['stage=village_evaluation&stage=town_audit', 'query.stage'],
      ]) {
        const r = await api.call('GET', `/cases?${query}`, { as: 'town-heping' });
        expect({ query, status: r.status, paths: paths(r) }).toEqual({ query, status: 400, paths: [path] });
      }
    });
  });
});
