import type { temporal } from '@temporalio/proto';
import { EncryptionCodec, ENCRYPTED_ENCODING } from '../../src/temporal/encryption-codec';
import { verifyChain } from '../../src/store/verify-chain';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';
import { markerBookkeepingOf, payloadsOf, personalDataIn, rawClient } from '../support/raw-history';
import { memberInput } from '../support/fixtures';
import { testPayloadKeys } from '../support/temporal';

const ACCOUNT = '6228487777654321';
const SUPPLIER_ACCOUNT = '6228487777000111';
const MEMBERS = [memberInput('Ouyang Mingyue', 'head', { health: 'chronic_illness' }), memberInput('Situ Xiaoqing', 'spouse', { ableToWork: false })];
const NEEDLES = [...MEMBERS.flatMap((m) => [m.name, m.idNumber]), ACCOUNT, SUPPLIER_ACCOUNT];

/**
 * Issue #8, item 5: what the Temporal server stores (and its UI shows to anyone who can open
 * it) and what the events table holds, for a real case, payouts and a reconciliation run.
 */
describe('personal data stays out of Temporal histories and out of the events table in the clear', () => {
  let api: ApiHarness;
  let caseId: string;
  let fundId: string;
  let date: string;
  const payouts: string[] = [];
  const histories = new Map<string, temporal.api.history.v1.IHistory>();

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    await api.db.pool.query(`INSERT INTO suppliers (supplier_id, name, jurisdiction, account) VALUES ('county-hospital', 'County hospital', '522701', $1)`, [
      SUPPLIER_ACCOUNT,
    ]);
    const householdId = await enrolHousehold(api, ACCOUNT, { members: MEMBERS });
    caseId = (await api.db.pool.query('SELECT current_case_id FROM households WHERE household_id = $1', [householdId])).rows[0].current_case_id;
    const f = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: 'Relief fund', jurisdiction: '522701', account: `6228${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}` },
    });
    fundId = f.body.fundId;
    await api.call('POST', `/funds/${fundId}/deposits`, { as: 'fund-manager', body: { amountFen: 1_000_000, source: 'budget', reference: 'budget 2026' } });
    const receipt = { number: 'HOSP-2026-0042', amountFen: 80_000, issuedAt: '2026-11-20T08:00:00Z' };
    for (const body of [
      { fundId, payee: { type: 'household', householdId }, purpose: 'one_time_relief', amountFen: 150_000 },
      { fundId, payee: { type: 'supplier', supplierId: 'county-hospital', householdId, receipt }, purpose: 'medical_top_up', amountFen: 80_000 },
    ]) {
      const d = await api.call('POST', '/disbursements', { as: 'fund-manager', body });
      expect(d.status).toBe(201);
      expect((await api.call('POST', `/disbursements/${d.body.disbursementId}/decisions`, { as: 'town-heping', body: { decision: 'approve' } })).status).toBe(
        200,
      );
      payouts.push(d.body.disbursementId);
    }
    const status = async (id: string) => (await api.call('GET', `/disbursements/${id}`, { as: 'fund-manager' })).body.status;
    await waitFor(async () => (await Promise.all(payouts.map(status))).every((s) => s === 'paid'), 60_000);
    date = ((await api.bank.payments()) as any[]).find((p) => p.idempotencyKey === payouts[0]).settledAt.slice(0, 10);
    expect((await api.call('POST', `/funds/${fundId}/reconciliations`, { as: 'fund-manager', body: { date } })).status).toBe(200);

    const raw = rawClient(api);
    for (const id of [caseId, ...payouts, `recon-${fundId}-${date}`]) histories.set(id, await raw.workflow.getHandle(id).fetchHistory());
  }, 240_000);
  afterAll(() => api?.close());

  it('no member name, ID number or account number in the raw histories of the case, the payouts and the reconciliation', () => {
    expect(histories.size).toBe(4);
    for (const [id, history] of histories) {
      expect(history.events?.length).toBeGreaterThan(3);
      expect({ id, found: personalDataIn(history, NEEDLES) }).toEqual({ id, found: [] });
    }
  });

  it("every payload but the search attributes (codes only) is encrypted, naming its key; the engine's codec finds the data inside (the search above looks where it would be)", async () => {
    const history = histories.get(caseId) as temporal.api.history.v1.IHistory;
    const payloads = [...histories.values()].flatMap(payloadsOf);
    expect(payloads.length).toBeGreaterThan(20);
    for (const p of payloads) expect(Buffer.from(p.metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    // What the SDK writes of its own in markers (patches, local activities) is ids, counters and times.
    const known = new Set(['id', 'deprecated', 'seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time']);
    const bookkeeping = [...histories.values()].flatMap(markerBookkeepingOf);
    expect(bookkeeping.length).toBeGreaterThan(0); // the case's steps are local activities
    for (const b of bookkeeping) expect(Object.keys(b.value).filter((k) => !known.has(k))).toEqual([]);
    const input = history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const [decoded] = await new EncryptionCodec(testPayloadKeys()).decode(input);
    const json = Buffer.from(decoded.data ?? []).toString();
    expect(json).toContain('Ouyang Mingyue'); // the input is really there, encrypted
    expect(json).not.toContain(ACCOUNT); // and even decrypted, the account number is sealed
    expect(json).not.toContain(MEMBERS[0].idNumber); // ID numbers never enter at all
  });

  it('the events table holds no account number in the clear; the stored form is sealed and chained', async () => {
    for (const account of [ACCOUNT, SUPPLIER_ACCOUNT]) {
      const q = async (sql: string) => (await api.db.pool.query(sql, [`%${account}%`])).rows[0].n;
      expect(await q('SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1 OR metadata::text LIKE $1')).toBe(0);
      expect(await q('SELECT count(*)::int AS n FROM cases WHERE state::text LIKE $1 OR household::text LIKE $1')).toBe(0);
      expect(await q('SELECT count(*)::int AS n FROM disbursements WHERE state::text LIKE $1')).toBe(0);
    }
    const submitted = (await api.db.pool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'ApplicationSubmitted'`, [caseId])).rows[0].data;
    expect(submitted.household.bankAccount).toEqual({ bank: 'RCC', accountNumber: expect.stringMatching(/^enc:v1:dev-1:/), accountMasked: '****4321' });
    const requested = (await api.db.pool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'DisbursementRequested'`, [payouts[1]])).rows[0].data;
    expect(requested.payee).toMatchObject({ account: expect.stringMatching(/^enc:v1:/), accountMasked: '****0111' });
    for (const id of [caseId, ...payouts]) expect((await verifyChain(api.db.pool, id)).ok).toBe(true);
  });

  it('the bank got the full account numbers; readers see them masked', async () => {
    const atBank = new Map((await api.bank.payments()).map((p) => [p.idempotencyKey, p.toAccount]));
    expect(payouts.map((id) => atBank.get(id))).toEqual([ACCOUNT, SUPPLIER_ACCOUNT]);
    const events = await api.call('GET', `/cases/${caseId}/events`, { as: 'county-office' });
    expect(events.body.events[0].data.household.bankAccount).toEqual({ bank: 'RCC', accountNumber: '****4321' });
    expect((await api.call('GET', `/disbursements/${payouts[0]}`, { as: 'fund-manager' })).body.payee.accountMasked).toBe('****4321');
    const list = await api.call('GET', `/funds/${fundId}/payouts?from=${date}&to=${date}`, { as: 'auditor' });
    expect(list.body.items.map((i: any) => i.accountMasked).sort()).toEqual(['****0111', '****4321']);
  });
});
