import { parseCsv } from '../../src/api/intake/csv';
import { STREAM_DECIDERS } from '../../src/domain/stream-deciders';
import { STREAM_TYPES, type StreamType } from '../../src/domain/streams';
import { enrolHousehold } from '../support/enrol';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { contractFetch } from '../support/response-contract';

const SHIBAN = '522701101201';
const HEPING = '522701101';
const ACCOUNT = '6228480011112222';

/** Reconciliation with the bank and publicity of payouts, on real Postgres, the Temporal dev server and the simulated bank over HTTP. */
describe('reconciliation and publicity of payouts', () => {
  let api: ApiHarness;
  let householdId: string;
  let fundId: string;
  let fundAccount: string;
  let date: string;
  const paid: string[] = [];

  const enrol = () => enrolHousehold(api, ACCOUNT);

  const request = (amountFen: number) =>
    api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: { fundId, payee: { type: 'household', householdId }, purpose: 'one_time_relief', amountFen },
    });
  const status = async (id: string) => (await api.call('GET', `/disbursements/${id}`, { as: 'fund-manager' })).body.status as string;
  const reconcile = (day: string, as = 'fund-manager') => api.call('POST', `/funds/${fundId}/reconciliations`, { as, body: { date: day } });
  const streamEvents = async () =>
    (
      await api.db.pool.query<{ type: string; data: any; idempotency_key: string }>(
        'SELECT type, data, idempotency_key FROM events WHERE stream_id = $1 ORDER BY version',
        [`recon-${fundId}-${date}`],
      )
    ).rows;
  const reconTasks = async () =>
    (await api.call('GET', '/tasks?limit=100', { as: 'fund-manager' })).body.items.filter((t: any) => t.subjectType === 'reconciliation');

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    householdId = await enrol();
    fundAccount = `6228${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
    const f = await api.call('POST', '/funds', { as: 'fund-manager', body: { name: 'Heping relief fund', jurisdiction: HEPING, account: fundAccount } });
    expect(f.status).toBe(201);
    fundId = f.body.fundId;
    expect(
      (await api.call('POST', `/funds/${fundId}/deposits`, { as: 'fund-manager', body: { amountFen: 1_000_000, source: 'budget', reference: 'budget 2026' } }))
        .status,
    ).toBe(201);
  }, 120_000);
  afterAll(() => api?.close());

  it('pays two disbursements and finds them all in the bank statement', async () => {
    for (const amountFen of [150_000, 123_456]) {
      const d = await request(amountFen);
      expect(d.status).toBe(201);
      expect((await api.call('POST', `/disbursements/${d.body.disbursementId}/decisions`, { as: 'town-heping', body: { decision: 'approve' } })).status).toBe(
        200,
      );
      paid.push(d.body.disbursementId);
    }
    await waitFor(async () => (await Promise.all(paid.map(status))).every((s) => s === 'paid'), 60_000);
    const settled = ((await api.bank.payments()) as any[]).filter((p) => paid.includes(p.idempotencyKey));
    date = settled[0].settledAt.slice(0, 10);

    const r = await reconcile(date);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ fundId, date, matched: 2, mismatches: [], bankLines: 2, bookedPayouts: 2 });
    const fund = await api.call('GET', `/funds/${fundId}`, { as: 'auditor' });
    expect(fund.body.lastReconciliation).toEqual({ date, at: r.body.reconciledAt, matched: 2, mismatches: 0 });
    expect((await streamEvents()).map((e) => e.type)).toEqual(['ReconciliationCompleted']);
  });

  it('finds a payment the books do not have, records it once and asks the fund manager', async () => {
    const planted = await fetch(`${api.bank.server.url}/_admin/statement-lines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date,
        account: fundAccount,
        idempotencyKey: 'ghost-payment-1',
        reference: 'who ordered this?',
        toAccount: '6228480099998888',
        amountFen: 50_000,
      }),
    });
    expect(planted.status).toBe(201);

    const r = await reconcile(date);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ matched: 2, bankLines: 3, bookedPayouts: 2 });
    expect(r.body.mismatches).toEqual([
      {
        kind: 'missing_in_books',
        key: 'ghost-payment-1',
        booksAmountFen: null,
        bankAmountsFen: [50_000],
        bankPaymentIds: [expect.stringMatching(/^planted_/)],
        toAccountsMasked: ['****8888'],
      },
    ]);
    expect(JSON.stringify(r.body)).not.toContain('6228480099998888');

    const found = (await streamEvents()).filter((e) => e.type === 'MismatchFound');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      data: { kind: 'missing_in_books', key: 'ghost-payment-1' },
      idempotency_key: `recon:${fundId}:${date}:ghost-payment-1:missing_in_books`,
    });
    expect(JSON.stringify(found[0].data)).not.toContain('6228480099998888');

    const tasks = await reconTasks();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: 'decision',
      stage: 'reconciliation_missing_in_books',
      roles: ['fund_manager'],
      caseId: `recon-${fundId}-${date}/missing_in_books:ghost-payment-1`,
    });
    expect(tasks[0]).toMatchObject({ subjectKind: 'reconciliation', subjectId: tasks[0].caseId });
    expect((await api.call('GET', `/funds/${fundId}`, { as: 'fund-manager' })).body.lastReconciliation).toMatchObject({ date, matched: 2, mismatches: 1 });
  });

  it('records nothing new when run again, and returns the same result', async () => {
    const before = await streamEvents();
    const first = await reconcile(date);
    const again = await reconcile(date, 'auditor');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await streamEvents()).toEqual(before);
    expect(await reconTasks()).toHaveLength(1);
  });

  it('runs for every fund from the daily workflow, adding nothing to a day already reconciled', async () => {
    const before = await streamEvents();
    const r = await api.env.client.workflow.execute('reconcileAllFunds', { taskQueue: api.taskQueue, workflowId: `reconcile-all-${fundId}`, args: [{ date }] });
    expect(r).toMatchObject({ date, failed: [], alreadyRunning: [] });
    expect(r.funds).toContainEqual({ fundId, matched: 2, mismatches: 1 });
    expect(await streamEvents()).toEqual(before);
  });

  it('tells a second bank line for one payout from a payout the bank never made', async () => {
    await fetch(`${api.bank.server.url}/_admin/statement-lines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date, account: fundAccount, idempotencyKey: paid[0], reference: paid[0], toAccount: ACCOUNT, amountFen: 150_000 }),
    });
    const r = await reconcile(date);
    expect(r.body.matched).toBe(1);
    expect(r.body.mismatches.map((m: any) => [m.kind, m.key])).toEqual(
      expect.arrayContaining([
        ['duplicate', paid[0]],
        ['missing_in_books', 'ghost-payment-1'],
      ]),
    );
    expect(await reconTasks()).toHaveLength(2);
    expect((await streamEvents()).filter((e) => e.type === 'MismatchFound')).toHaveLength(2);
  });

  it('refuses callers without the role or outside the fund, and days that have not begun', async () => {
    expect((await reconcile(date, 'town-heping')).status).toBe(403);
    expect((await reconcile('2999-01-01')).status).toBe(422);
    expect((await reconcile('2026-02-30')).status).toBe(400);
  });

  it("publishes the period's payouts as JSON, without ID or account numbers", async () => {
    const pending = await request(3_000_000); // awaiting the county: not approved, not published
    expect(pending.status).toBe(201);
    const r = await api.call('GET', `/funds/${fundId}/payouts?from=${date}&to=${date}`, { as: 'village-shiban' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ fundId, from: date, to: date, scope: SHIBAN, count: 2, totalFen: 273_456, totalYuan: '2734.56' });
    expect(r.body.items.map((i: any) => i.disbursementId).sort()).toEqual([...paid].sort());
    expect(r.body.items).toContainEqual({
      disbursementId: paid[0],
      payeeType: 'household',
      householdId,
      supplierId: null,
      village: SHIBAN,
      villageName: 'Shiban Village',
      purpose: 'one_time_relief',
      amountFen: 150_000,
      amountYuan: '1500.00',
      status: 'paid',
      paidDate: date,
      accountMasked: '****2222',
    });
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(ACCOUNT);
    expect(text).not.toMatch(/idNumber|\d{17}[\dX]/);
    // Publicised: an applicant of the village sees them too; the county sees its towns'.
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=${date}&to=${date}`, { as: 'applicant-shiban-1' })).body.count).toBe(2);
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=${date}&to=${date}`, { as: 'county-office' })).body).toMatchObject({
      scope: HEPING,
      count: 2,
    });
  });

  it('publishes the same as CSV, with a header row and yuan formatted from integer fen', async () => {
    for (const how of [
      { path: `?from=${date}&to=${date}&format=csv`, headers: {} as Record<string, string> },
      { path: `?from=${date}&to=${date}`, headers: { accept: 'text/csv' } },
    ]) {
      const r = await api.call('GET', `/funds/${fundId}/payouts${how.path}`, { as: 'town-heping', headers: how.headers });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const [header, ...rows] = parseCsv(r.body).map((x) => x.fields);
      expect(header).toEqual([
        'disbursement_id',
        'payee_type',
        'household_id',
        'supplier_id',
        'village_code',
        'village_name',
        'purpose',
        'amount_fen',
        'amount_yuan',
        'status',
        'paid_date',
        'account_masked',
      ]);
      expect(rows).toHaveLength(2);
      expect(rows).toContainEqual([
        paid[0],
        'household',
        householdId,
        '',
        SHIBAN,
        'Shiban Village',
        'one_time_relief',
        '150000',
        '1500.00',
        'paid',
        date,
        '****2222',
      ]);
      expect(rows.find((x) => x[0] === paid[1])?.slice(7, 9)).toEqual(['123456', '1234.56']);
      expect(r.body).not.toContain(ACCOUNT);
    }
    // UTF-8 with a BOM, so that spreadsheets read Chinese village names right (fetch's text() drops it).
    const raw = await contractFetch(`${api.baseUrl}/funds/${fundId}/payouts?from=${date}&to=${date}&format=csv`, {
      headers: { authorization: `Bearer ${api.tokens['town-heping']}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 'd'.charCodeAt(0)]);
  });

  it('refuses the payouts to an official or applicant of another town, and a bad period', async () => {
    const other = await api.call('GET', `/funds/${fundId}/payouts?from=${date}&to=${date}`, { as: 'town-dongfeng' });
    expect(other.status).toBe(403);
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=${date}&to=${date}&format=csv`, { as: 'applicant-baiyun-1' })).status).toBe(403);
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=${date}`, { as: 'town-heping' })).status).toBe(400);
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=2026-02-01&to=2026-01-01`, { as: 'town-heping' })).status).toBe(400);
    expect((await api.call('GET', `/funds/${fundId}/payouts?from=2024-01-01&to=2026-01-01`, { as: 'town-heping' })).status).toBe(400);
  });

  it('wrote only streams of the registered types, each with its decider (and one of every type this story touches)', async () => {
    const types = (await api.db.pool.query<{ stream_type: string }>('SELECT DISTINCT stream_type FROM streams ORDER BY stream_type')).rows.map(
      (r) => r.stream_type,
    );
    // The loan streams (issue #10) are written by the loan stories, the user streams (log-in, issue #12) by the log-in stories, not this one.
    // Nor the help streams (helpers, pairings, plans, reviews), written by the help stories, nor a
    // household's own stream, which only a member's transfer between households writes.
    const elsewhere = new Set(['user', 'helper', 'pairing', 'help-plan', 'review', 'household']);
    expect(types).toEqual([...STREAM_TYPES].filter((t) => !t.startsWith('loan') && !elsewhere.has(t)).sort());
    for (const t of types) expect(STREAM_DECIDERS[t as StreamType].streamType).toBe(t);
  });
});
