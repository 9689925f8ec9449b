import { randomUUID } from 'node:crypto';
import { DEMO_USERS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import { newToken } from '../../src/directory/tokens';
import { contains } from '../../src/domain/jurisdiction';
import { OFFICIAL_ROLES, type Role } from '../../src/domain/roles';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';

const SHIBAN = '522701101201';
const COUNTY = '522701';
const GENESIS = '0'.repeat(64);
/** Ids follow from Idempotency-Keys, and the Temporal dev server outlives each run's database: keys unique to the run. */
const run = randomUUID();
const key = (what: string) => ({ 'idempotency-key': `${what}-${run}` });

type User = { userId: string; role: Role; jurisdiction: string };
type Event = { seq: number; type: string; at: string; actor: string; data: Record<string, unknown>; hash: string; prevHash: string };

const overlaps = (a: string, b: string) => contains(a, b) || contains(b, a);
const official = (u: User) => OFFICIAL_ROLES.includes(u.role);

/**
 * The event streams of a loan, a loan scheme and its batch, a fund, a pairing and a help plan, read through
 * the API as a case's are: by those who may read the thing, in order, hash-linked, with the
 * server's verdict on the whole chain; a row edited behind the store's back shows as broken.
 */
describe('every stream readable by those who may read it (real Postgres, real Temporal dev server)', () => {
  let api: ApiHarness;
  let householdId: string;
  let caseId: string;
  let fundId: string;
  let schemeId: string;
  let batchId: string;
  let loanId: string;
  let pairingId: string;
  /** An auditor of another county: outside every jurisdiction of the demo county. */
  const elsewhere: User = { userId: 'auditor-elsewhere', role: 'auditor', jurisdiction: '522702' };

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT2S', STAGE_TIME_LIMIT: 'PT90S' });
    await upsertJurisdictions(api.db.pool, [{ code: '522702', name: 'Another County', level: 'county' }]);
    api.tokens[elsewhere.userId] = newToken();
    await upsertUsers(api.db.pool, [{ ...elsewhere, name: 'Audit of another county', token: api.tokens[elsewhere.userId] }]);

    householdId = await enrolHousehold(api, '6228480022224441');
    caseId = (await api.call('GET', `/households/${householdId}`, { as: 'county-office' })).body.currentCaseId;

    const fund = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: 'Stream test pool', jurisdiction: COUNTY, account: '6228480000007777' },
    });
    fundId = fund.body.fundId;
    await api.call('POST', `/funds/${fundId}/deposits`, { as: 'fund-manager', body: { amountFen: 200_000, source: 'donation', reference: 'stream test' } });
    const scheme = await api.call('POST', '/loan-schemes', {
      as: 'county-office',
      headers: key('scheme'),
      body: {
        name: 'Stream test loans',
        fundId,
        amountFen: 110_000,
        instalments: [{ shareBp: 10_000, due: { kind: 'months', months: 12 } }],
        graceDays: 15,
        eligibleVillages: [SHIBAN],
        writeOffBarYears: 3,
        inKindAllowed: false,
        agreementText: '借款协议 / loan agreement',
      },
    });
    schemeId = scheme.body.schemeId;
    const batch = await api.call('POST', `/loan-schemes/${schemeId}/batches`, {
      as: 'county-office',
      headers: key('batch'),
      body: { householdIds: [householdId] },
    });
    batchId = batch.body.batchId;
    const batchView = async () => (await api.call('GET', `/loan-schemes/${schemeId}/batches/${batchId}`, { as: 'county-office' })).body;
    await waitFor(async () => (await batchView()).status === 'signing', 30_000);
    await api.call('POST', `/loan-schemes/${schemeId}/batches/${batchId}/signatures`, {
      as: 'village-shiban',
      body: { householdId, method: 'attested', scanHash: 'cd'.repeat(32) },
    });
    await waitFor(async () => Boolean((await batchView()).households[0].loanId), 30_000);
    loanId = (await batchView()).households[0].loanId;
    // The loan opens once its payout is approved and paid.
    const disbursement = `/disbursements/disb-${loanId}`;
    await waitFor(async () => (await api.call('GET', disbursement, { as: 'fund-manager' })).body.status === 'awaiting_approval', 30_000);
    await api.call('POST', `${disbursement}/decisions`, { as: 'town-heping', body: { decision: 'approve' } });
    await waitFor(async () => (await api.call('GET', `/loans/${loanId}`, { as: 'village-shiban' })).body.status === 'active', 60_000);

    await api.call('POST', '/helpers', { as: 'county-office', body: { userId: 'helper-li', rank: 'cadre', unit: '县农业农村局' } });
    const pairing = await api.call('POST', '/pairings', { as: 'town-heping', headers: key('pair'), body: { householdId, helperId: 'helper-li' } });
    pairingId = pairing.body.pairingId;
    await api.call('POST', `/households/${householdId}/visits`, {
      as: 'helper-li',
      headers: key('visit'),
      body: { kind: 'routine', visitedAt: new Date().toISOString(), notes: '走访：家中一切正常。' },
    });
    await api.call('POST', `/households/${householdId}/help-plan`, {
      as: 'village-shiban',
      headers: key('plan'),
      body: {
        survey: { familySituation: '户主患慢性病', cause: 'illness', routeOut: '发展养牛产业', expectedEffect: '两年内人均收入超过标准' },
        measures: [{ kind: 'industry_support', description: '能繁母牛一头', moneyFen: 110_000 }],
        fundIds: [],
        helpingUnit: { name: '县农业农村局', inChargeUserId: 'helper-li' },
      },
    });
  }, 300_000);
  afterAll(() => api?.close());

  /** Each stream: where it is read, its stream id, how it begins, and the rule of who may read it written out. */
  const streams = () => [
    {
      name: 'loan',
      path: `/loans/${loanId}/events`,
      streamId: loanId,
      first: 'LoanOpened',
      allowed: (u: User) => official(u) && contains(u.jurisdiction, SHIBAN),
    },
    {
      name: 'scheme',
      path: `/loan-schemes/${schemeId}/events`,
      streamId: schemeId,
      first: 'SchemeCreated',
      allowed: (u: User) => ['county_official', 'supervisor', 'auditor', 'fund_manager'].includes(u.role) && overlaps(u.jurisdiction, COUNTY),
    },
    {
      name: 'batch',
      path: `/loan-schemes/${schemeId}/batches/${batchId}/events`,
      streamId: batchId,
      first: 'BatchOpened',
      allowed: (u: User) => official(u) && overlaps(u.jurisdiction, COUNTY),
    },
    {
      name: 'fund',
      path: `/funds/${fundId}/events`,
      streamId: fundId,
      first: 'FundOpened',
      allowed: (u: User) => ['fund_manager', 'cashier', 'supervisor', 'auditor', 'county_official'].includes(u.role) && overlaps(u.jurisdiction, COUNTY),
    },
    {
      name: 'pairing',
      path: `/pairings/${pairingId}/events`,
      streamId: `pairing-${householdId}`,
      first: 'HelperPaired',
      allowed: (u: User) => ['town_official', 'county_official', 'supervisor', 'auditor'].includes(u.role) && contains(u.jurisdiction, SHIBAN),
    },
    {
      name: 'help plan',
      path: `/households/${householdId}/help-plan/events`,
      streamId: `plan-${householdId}`,
      first: 'PlanDrafted',
      allowed: (u: User) =>
        u.userId === 'helper-li' ||
        (['village_official', 'town_official', 'county_official', 'supervisor', 'auditor'].includes(u.role) && contains(u.jurisdiction, SHIBAN)),
    },
    {
      name: 'case',
      path: `/cases/${caseId}/events`,
      streamId: caseId,
      first: 'ApplicationSubmitted',
      allowed: (u: User) => official(u) && contains(u.jurisdiction, SHIBAN),
    },
  ];

  /** Every page of a stream, followed by its nextCursor. */
  async function allPages(path: string, as: string, limit: number) {
    const events: Event[] = [];
    const chains: unknown[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: any } = await api.call('GET', `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { as });
      expect(r.status).toBe(200);
      events.push(...r.body.events);
      chains.push(r.body.chain);
      cursor = r.body.nextCursor;
    } while (cursor);
    return { events, chains };
  }

  it('gives an authorised reader the events in order, each linked to the one before, with the chain verified', async () => {
    for (const s of streams()) {
      const r = await api.call('GET', `${s.path}?limit=100`, { as: 'auditor' });
      expect({ stream: s.name, status: r.status }).toEqual({ stream: s.name, status: 200 });
      const events = r.body.events as Event[];
      expect(r.body.streamId).toBe(s.streamId);
      expect(events.length).toBeGreaterThan(0);
      expect(events[0]).toMatchObject({ seq: 1, type: s.first, prevHash: GENESIS });
      events.forEach((e, i) => {
        expect(e.seq).toBe(i + 1);
        if (i > 0) expect(e.prevHash).toBe(events[i - 1].hash);
      });
      expect({ stream: s.name, chain: r.body.chain }).toEqual({
        stream: s.name,
        chain: { verified: true, eventsChecked: events.length, brokenAt: null, problem: null },
      });
      // The same events page by page: the cursor is the next seq, every page carries the whole chain's verdict.
      const paged = await allPages(s.path, 'auditor', 1);
      expect(paged.events).toEqual(events);
      for (const chain of paged.chains) expect(chain).toEqual(r.body.chain);
    }
  });

  it('shows the pairing and its visit, the plan as drafted, the fund deposit, the batch proposed and signed', async () => {
    const types = async (path: string) => ((await api.call('GET', `${path}?limit=100`, { as: 'auditor' })).body.events as Event[]).map((e) => e.type);
    expect(await types(`/pairings/${pairingId}/events`)).toEqual(expect.arrayContaining(['HelperPaired', 'VisitRecorded']));
    expect(await types(`/funds/${fundId}/events`)).toEqual(expect.arrayContaining(['FundOpened', 'Deposited']));
    expect(await types(`/loan-schemes/${schemeId}/events`)).toEqual(expect.arrayContaining(['SchemeCreated', 'BatchProposed']));
    expect(await types(`/loan-schemes/${schemeId}/batches/${batchId}/events`)).toEqual(
      expect.arrayContaining(['BatchOpened', 'AgreementSigned', 'LoanIssued']),
    );
    const plan = (await api.call('GET', `/households/${householdId}/help-plan/events`, { as: 'helper-li' })).body.events as Event[];
    expect(plan[0]).toMatchObject({ type: 'PlanDrafted', actor: 'village-shiban' });
  });

  it('answers every user by the rule of the thing itself: 200 or 403, each 403 recorded as a denial', async () => {
    const users: User[] = [...DEMO_USERS, elsewhere];
    for (const s of streams()) {
      const answers = await Promise.all(users.map(async (u) => ({ user: u.userId, status: (await api.call('GET', s.path, { as: u.userId })).status })));
      expect({ stream: s.name, answers }).toEqual({ stream: s.name, answers: users.map((u) => ({ user: u.userId, status: s.allowed(u) ? 200 : 403 })) });
    }
    // Denials are read within one's own jurisdiction: the other county's auditor reads its own.
    const denials = (await api.call('GET', `/audit/denials?user=${elsewhere.userId}&limit=100`, { as: elsewhere.userId })).body.items as { path: string }[];
    expect(denials.map((d) => d.path).sort()).toEqual(
      streams()
        .filter((s) => !s.allowed(elsewhere))
        .map((s) => s.path)
        .sort(),
    );
    const outside = (await api.call('GET', '/audit/denials?user=town-dongfeng&limit=100', { as: 'auditor' })).body.items as { path: string; reason: string }[];
    expect(outside).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: `/pairings/${pairingId}/events`, reason: expect.stringMatching(/jurisdiction/) }),
        expect.objectContaining({ path: `/households/${householdId}/help-plan/events`, reason: expect.stringMatching(/jurisdiction/) }),
      ]),
    );
  });

  it('shows an event edited in Postgres behind the store’s back as a broken chain, and a whole one again once put back', async () => {
    const tamper = (streamId: string, sql: string) =>
      api.db.pool.query(
        `BEGIN; ALTER TABLE events DISABLE TRIGGER events_no_update;
         UPDATE events SET data = ${sql} WHERE stream_id = '${streamId}' AND version = 1;
         ALTER TABLE events ENABLE TRIGGER events_no_update; COMMIT;`,
      );
    for (const s of streams()) {
      await tamper(s.streamId, `jsonb_set(data, '{tampered}', 'true')`);
      const broken = await api.call('GET', `${s.path}?limit=1`, { as: 'auditor' });
      expect({ stream: s.name, status: broken.status, chain: broken.body.chain }).toEqual({
        stream: s.name,
        status: 200,
        chain: {
          verified: false,
          eventsChecked: 0,
          brokenAt: 1,
          problem: expect.stringMatching(/^哈希链在第 1 个事件处断开.*\(the hash chain breaks at event 1: .*edited/),
        },
      });
      expect(broken.body.events[0].data.tampered).toBe(true); // shown as stored: the reader sees what was changed
      await tamper(s.streamId, `data - 'tampered'`);
      expect((await api.call('GET', s.path, { as: 'auditor' })).body.chain).toMatchObject({ verified: true, brokenAt: null });
    }
  });

  it('refuses hostile and ill-formed ids naming the parameter, and answers 404 for an unknown thing', async () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    const routes = [
      { path: (id: string) => `/loans/${id}/events`, param: 'params.loanId', unknown: `loan-${uuid}-1` },
      { path: (id: string) => `/loan-schemes/${id}/events`, param: 'params.schemeId', unknown: `scheme-${uuid}` },
      { path: (id: string) => `/loan-schemes/${schemeId}/batches/${id}/events`, param: 'params.batchId', unknown: `batch-${uuid}` },
      { path: (id: string) => `/loan-schemes/${id}/batches/${batchId}/events`, param: 'params.schemeId', unknown: `scheme-${uuid}` },
      { path: (id: string) => `/funds/${id}/events`, param: 'params.fundId', unknown: `fund-${uuid}` },
      { path: (id: string) => `/pairings/${id}/events`, param: 'params.pairingId', unknown: `pair-${uuid}` },
      { path: (id: string) => `/households/${id}/help-plan/events`, param: 'params.householdId', unknown: `hh-${uuid}` },
    ];
    const hostile = ['x%00y', 'a'.repeat(5000), `case-${uuid}`, '%E2%80%AE', '..%2F..%2Fetc'];
    for (const r of routes) {
      for (const id of hostile) {
        const res = await api.call('GET', r.path(id), { as: 'auditor' });
        expect({ path: r.path(id).slice(0, 80), status: res.status, param: res.body.errors?.[0]?.path }).toEqual({
          path: r.path(id).slice(0, 80),
          status: 400,
          param: r.param,
        });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      const unknown = await api.call('GET', r.path(r.unknown), { as: 'auditor' });
      expect({ path: r.path(r.unknown), status: unknown.status }).toEqual({ path: r.path(r.unknown), status: 404 });
    }
    for (const cursor of ['0', '-1', 'abc', '99999999999', '1%00']) {
      const res = await api.call('GET', `/loans/${loanId}/events?cursor=${cursor}`, { as: 'auditor' });
      expect([cursor, res.status, res.body.errors?.[0]?.path]).toEqual([cursor, 400, 'query.cursor']);
    }
    // A household that exists but has no plan yet has no plan stream to read.
    const other = await enrolHousehold(api, '6228480022224442');
    expect((await api.call('GET', `/households/${other}/help-plan/events`, { as: 'auditor' })).status).toBe(404);
  }, 120_000);
});
