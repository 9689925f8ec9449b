import { upsertUsers } from '../../src/directory/directory';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { waitFor } from '../support/case-harness';
import { enrolHousehold } from '../support/enrol';

/** Funds and payouts on real Postgres, the real Temporal dev server and the simulated bank over HTTP. */
describe('funds and disbursements', () => {
  let api: ApiHarness;
  const households: Record<string, string> = {};

  async function enrol(as: string, account: string): Promise<string> {
    households[as] = await enrolHousehold(api, account);
    return households[as];
  }

  async function fund(depositFen: number) {
    const f = await api.call('POST', '/funds', {
      as: 'fund-manager',
      body: { name: 'Relief fund', jurisdiction: '522701', account: `6228${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}` },
    });
    expect(f.status).toBe(201);
    if (depositFen > 0) {
      const d = await api.call('POST', `/funds/${f.body.fundId}/deposits`, {
        as: 'fund-manager',
        body: { amountFen: depositFen, source: 'budget', reference: 'budget 2026' },
      });
      expect(d.status).toBe(201);
    }
    return f.body.fundId as string;
  }

  const request = (fundId: string, householdId: string, amountFen: number, extra: Record<string, unknown> = {}) =>
    api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: { fundId, payee: { type: 'household', householdId }, purpose: 'one_time_relief', amountFen, ...extra },
    });
  const approve = (id: string, as: string) => api.call('POST', `/disbursements/${id}/decisions`, { as, body: { decision: 'approve' } });
  const settled = async (id: string) => {
    await waitFor(
      async () => ['paid', 'failed', 'refused', 'rejected'].includes((await api.call('GET', `/disbursements/${id}`, { as: 'fund-manager' })).body.status),
      60_000,
    );
    return (await api.call('GET', `/disbursements/${id}`, { as: 'fund-manager' })).body;
  };
  const balances = async (fundId: string) => (await api.call('GET', `/funds/${fundId}`, { as: 'auditor' })).body.balances;

  beforeAll(async () => {
    api = await apiHarness({ PUBLICITY_PERIOD: 'PT1S' });
    await api.db.pool.query(
      `INSERT INTO suppliers (supplier_id, name, jurisdiction, account) VALUES ('county-hospital', 'County hospital', '522701', '6228480077770001')`,
    );
    await Promise.all([enrol('good', '6228480011112222'), enrol('closed', '6228480011110000')]);
  }, 120_000);
  afterAll(() => api?.close());

  it.each([
    ['1,500 yuan: one town approval', 150_000, ['town'], ['town-heping']],
    ['30,000 yuan: town then county', 3_000_000, ['town', 'county'], ['town-heping', 'county-office']],
    ['60,000 yuan: town, then two distinct county approvers', 6_000_000, ['town', 'county', 'county'], ['town-heping', 'county-office', 'county-office-2']],
  ])('%s, then reserve, pay and book it', async (_label, amountFen, levels, approvers) => {
    const fundId = await fund(10_000_000);
    const d = await request(fundId, households.good, amountFen);
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ status: 'awaiting_approval', requiredApprovals: levels, payee: { accountMasked: '****2222' } });
    for (const [i, who] of approvers.entries()) {
      if (i > 0 && approvers[i - 1] === 'county-office') {
        const twice = await approve(d.body.disbursementId, 'county-office');
        expect(twice.status).toBe(403); // the second county approval must be someone else
      }
      expect((await approve(d.body.disbursementId, who)).status).toBe(200);
    }
    const final = await settled(d.body.disbursementId);
    expect(final).toMatchObject({ status: 'paid', approvals: levels.map((level, i) => ({ level, by: approvers[i] })) });
    expect(await balances(fundId)).toEqual({ depositedFen: 10_000_000, availableFen: 10_000_000 - amountFen, reservedFen: 0, paidFen: amountFen });
    const ledger = (await api.call('GET', `/funds/${fundId}/ledger`, { as: 'auditor' })).body.entries;
    expect(ledger.map((e: { kind: string }) => e.kind)).toEqual(['deposit', 'reserve', 'pay']);
    for (const e of ledger) {
      const sum = (k: 'debitFen' | 'creditFen') => e.lines.reduce((a: number, l: Record<string, number>) => a + l[k], 0);
      expect(sum('debitFen')).toBe(sum('creditFen'));
    }
    expect((await api.bank.payments()).filter((p) => p.idempotencyKey === d.body.disbursementId)).toHaveLength(1);
  });

  it('never lets the requester approve', async () => {
    const fundId = await fund(1_000_000);
    const d = await request(fundId, households.good, 100_000);
    await upsertUsers(api.db.pool, [
      { userId: 'fund-manager', name: 'x', role: 'town_official', jurisdiction: '522701101', token: api.tokens['fund-manager'] },
    ]);
    try {
      const r = await approve(d.body.disbursementId, 'fund-manager');
      expect(r.status).toBe(403);
      expect(r.body.detail).toMatch(/requester/);
    } finally {
      await upsertUsers(api.db.pool, [
        { userId: 'fund-manager', name: 'Special fund manager', role: 'fund_manager', jurisdiction: '522701', token: api.tokens['fund-manager'] },
      ]);
    }
  });

  it('refuses a payout the fund cannot cover and reserves nothing', async () => {
    const fundId = await fund(100_000);
    const d = await request(fundId, households.good, 150_000);
    await approve(d.body.disbursementId, 'town-heping');
    expect(await settled(d.body.disbursementId)).toMatchObject({ status: 'refused' });
    // A decision on a payout whose workflow has ended is too late (409), never "not found".
    await waitFor(async () => (await api.env.client.workflow.getHandle(d.body.disbursementId).describe()).status.name === 'COMPLETED');
    const late = await approve(d.body.disbursementId, 'town-heping-2');
    expect([late.status, late.body.type]).toEqual([409, expect.stringMatching(/disbursement-closed$/)]);
    expect(await balances(fundId)).toEqual({ depositedFen: 100_000, availableFen: 100_000, reservedFen: 0, paidFen: 0 });
  });

  it('never pays more than was deposited when concurrent requests together exceed the balance', async () => {
    const fundId = await fund(500_000);
    const ids = await Promise.all(Array.from({ length: 5 }, async () => (await request(fundId, households.good, 150_000)).body.disbursementId as string));
    await Promise.all(ids.map((id) => approve(id, 'town-heping')));
    const outcomes = await Promise.all(ids.map(settled));
    expect(outcomes.filter((o) => o.status === 'paid')).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === 'refused')).toHaveLength(2);
    expect(await balances(fundId)).toEqual({ depositedFen: 500_000, availableFen: 50_000, reservedFen: 0, paidFen: 450_000 });
  });

  it('pays exactly once when the bank times out before it answers', async () => {
    const fundId = await fund(1_000_000);
    const d = await request(fundId, households.good, 120_000);
    await api.bank.setBehaviour({ timeoutRate: 1, timeoutDelayMs: 6000 });
    await approve(d.body.disbursementId, 'town-heping');
    // The first order reaches the bank but its answer is lost; the activity retries with the same key.
    await waitFor(async () => (await api.bank.payments()).some((p) => p.idempotencyKey === d.body.disbursementId), 20_000);
    await api.bank.setBehaviour({ timeoutRate: 0 });
    expect(await settled(d.body.disbursementId)).toMatchObject({ status: 'paid' });
    expect((await api.bank.payments()).filter((p) => p.idempotencyKey === d.body.disbursementId)).toHaveLength(1);
    expect((await balances(fundId)).paidFen).toBe(120_000);
  });

  it('releases the reservation when the bank fails the payment for good', async () => {
    const fundId = await fund(1_000_000);
    const d = await request(fundId, households.closed, 120_000);
    await approve(d.body.disbursementId, 'town-heping');
    expect(await settled(d.body.disbursementId)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/closed/) });
    expect(await balances(fundId)).toEqual({ depositedFen: 1_000_000, availableFen: 1_000_000, reservedFen: 0, paidFen: 0 });
    const kinds = (await api.call('GET', `/funds/${fundId}/ledger`, { as: 'auditor' })).body.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['deposit', 'reserve', 'release']);
  });

  it('reimburses an approved supplier against a receipt, and refuses without one or beyond it', async () => {
    const fundId = await fund(1_000_000);
    const receipt = { number: 'HOSP-2026-0042', amountFen: 80_000, issuedAt: '2026-11-20T08:00:00Z' };
    const ok = await api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: {
        fundId,
        payee: { type: 'supplier', supplierId: 'county-hospital', householdId: households.good, receipt },
        purpose: 'medical_top_up',
        amountFen: 80_000,
      },
    });
    expect(ok.status).toBe(201);
    await approve(ok.body.disbursementId, 'town-heping');
    expect(await settled(ok.body.disbursementId)).toMatchObject({ status: 'paid', payee: { type: 'supplier', accountMasked: '****0001' } });
    expect((await api.bank.payments()).find((p) => p.idempotencyKey === ok.body.disbursementId)?.toAccount).toBe('6228480077770001');
    const none = await api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: { fundId, payee: { type: 'supplier', supplierId: 'county-hospital', householdId: households.good }, purpose: 'medical_top_up', amountFen: 80_000 },
    });
    expect(none.status).toBe(400);
    expect(none.body.errors.map((e: { path: string }) => e.path)).toContain('body.payee.receipt');
    const beyond = await api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: {
        fundId,
        payee: { type: 'supplier', supplierId: 'county-hospital', householdId: households.good, receipt },
        purpose: 'medical_top_up',
        amountFen: 90_000,
      },
    });
    expect(beyond.status).toBe(422);
    const unknown = await api.call('POST', '/disbursements', {
      as: 'fund-manager',
      body: {
        fundId,
        payee: { type: 'supplier', supplierId: 'cousin-shop', householdId: households.good, receipt },
        purpose: 'medical_top_up',
        amountFen: 10_000,
      },
    });
    expect(unknown.status).toBe(422);
  });

  it('refuses a payment to any account but the registered one, and money as a float', async () => {
    const fundId = await fund(1_000_000);
    const other = await request(fundId, households.good, 10_000, { payee: { type: 'household', householdId: households.good, account: '6228489999999999' } });
    expect(other.status).toBe(422);
    expect(other.body.type).toMatch(/closed-operation/);
    const float = await request(fundId, households.good, 100.5);
    expect(float.status).toBe(400);
    expect(float.body.errors[0].path).toBe('body.amountFen');
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM disbursements WHERE fund_id = $1', [fundId])).rows[0].n).toBe(0);
  });

  it('keeps the books immutable in the database', async () => {
    await expect(api.db.pool.query('UPDATE ledger_lines SET debit = debit + 1')).rejects.toThrow(/immutable/);
    await expect(api.db.pool.query('DELETE FROM ledger_entries')).rejects.toThrow(/immutable/);
  });
});
