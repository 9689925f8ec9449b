import { apiHarness, type ApiHarness } from '../support/api-harness';

const UUID = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_LOAN = `loan-${UUID}-1`;
const UNKNOWN_SCHEME = `scheme-${UUID}`;
const SHIBAN = '522701101201';
const today = () => new Date().toISOString().slice(0, 10);

const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);

/**
 * Bad input to the loan routes is problem+json naming the field, before anything is looked up
 * or recorded: money only as integer fen literals, text by the shared rule, plans that add up.
 */
describe('revolving loans: bad input (issue #10)', () => {
  let api: ApiHarness;
  let fundId: string;
  beforeAll(async () => {
    api = await apiHarness();
    const f = await api.call('POST', '/funds', { as: 'fund-manager', body: { name: 'Pool', jurisdiction: '522701', account: '6228480000007777' } });
    fundId = f.body.fundId;
  }, 120_000);
  afterAll(() => api?.close());

  const repay = (raw: string, loanId = UNKNOWN_LOAN) => api.call('POST', `/loans/${loanId}/repayments`, { as: 'village-shiban', raw });
  const repayment = (amountLiteral: string) => `{"amountFen":${amountLiteral},"method":"cash","reference":"SB-1","receivedOn":"${today()}"}`;

  it.each(['550.5', '1.0', '1e3', '-100', '0', '"55000"', 'null'])('refuses amountFen %s with a 400 naming body.amountFen', async (literal) => {
    const r = await repay(repayment(literal));
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(paths(r)).toEqual(['body.amountFen']);
  });

  it('a well-formed repayment to an unknown loan is 404', async () => {
    expect((await repay(repayment('100'))).status).toBe(404);
  });

  it('refuses a control character in a receipt number, an unreal day, an unknown method: each field named', async () => {
    const r = await repay(`{"amountFen":100,"method":"cheque","reference":"SB\\u0000-1","receivedOn":"2026-02-30"}`);
    expect(r.status).toBe(400);
    expect(paths(r).sort()).toEqual(['body.method', 'body.receivedOn', 'body.reference']);
  });

  it('refuses a plan whose shares do not add up, a fractional loan amount and a village code that is not one', async () => {
    const body = {
      name: 'Cattle loans',
      fundId,
      amountFen: 110_000,
      instalments: [{ shareBp: 5000, due: { kind: 'months', months: 12 } }],
      graceDays: 15,
      eligibleVillages: [SHIBAN, '5227'],
      writeOffBarYears: 3,
      inKindAllowed: true,
      agreementText: '借款协议 Loan agreement',
    };
    const raw = JSON.stringify(body).replace('"amountFen":110000', '"amountFen":1100.00');
    const r = await api.call('POST', '/loan-schemes', { as: 'county-office', raw });
    expect(r.status).toBe(400);
    expect(paths(r).sort()).toEqual(['body.amountFen', 'body.eligibleVillages.1', 'body.instalments']);
  });

  it('refuses villages outside the county and a pool of another county, naming them', async () => {
    const body = {
      name: 'Cattle loans',
      fundId,
      amountFen: 110_000,
      instalments: [{ shareBp: 10_000, due: { kind: 'months', months: 12 } }],
      graceDays: 15,
      eligibleVillages: [SHIBAN, '522702101201'],
      writeOffBarYears: 3,
      inKindAllowed: false,
      agreementText: '借款协议 Loan agreement',
    };
    const r = await api.call('POST', '/loan-schemes', { as: 'county-office', body });
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual(['body.eligibleVillages[1]']);
    expect((await api.call('POST', '/loan-schemes', { as: 'village-shiban', body })).status).toBe(403);
  });

  it('refuses household ids that are not ids, and a batch of an unknown scheme is 404', async () => {
    const bad = await api.call('POST', `/loan-schemes/${UNKNOWN_SCHEME}/batches`, { as: 'county-office', body: { householdIds: [`hh-${UUID}`, 'hh-1'] } });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['body.householdIds.1']);
    const empty = await api.call('POST', `/loan-schemes/${UNKNOWN_SCHEME}/batches`, { as: 'county-office', body: { householdIds: [] } });
    expect(paths(empty)).toEqual(['body.householdIds']);
    const unknown = await api.call('POST', `/loan-schemes/${UNKNOWN_SCHEME}/batches`, { as: 'county-office', body: { householdIds: [`hh-${UUID}`] } });
    expect(unknown.status).toBe(404);
  });

  it('needs a scan for an attested signature and the months of a deferral', async () => {
    const sign = await api.call('POST', `/loan-schemes/${UNKNOWN_SCHEME}/batches/batch-${UUID}/signatures`, {
      as: 'village-shiban',
      body: { householdId: `hh-${UUID}`, method: 'attested' },
    });
    expect(sign.status).toBe(400);
    expect(paths(sign)).toEqual(['body.scanHash']);
    const hardship = await api.call('POST', `/loans/${UNKNOWN_LOAN}/hardship`, {
      as: 'village-shiban',
      body: { cause: 'illness', proposal: 'deferral', note: 'in hospital for two months' },
    });
    expect(hardship.status).toBe(400);
    expect(paths(hardship)).toEqual(['body.deferMonths']);
    const tooLong = await api.call('POST', `/loans/${UNKNOWN_LOAN}/hardship`, {
      as: 'village-shiban',
      body: { cause: 'flood', proposal: 'deferral', deferMonths: 25, note: 'x'.repeat(4001) },
    });
    expect(paths(tooLong).sort()).toEqual(['body.cause', 'body.deferMonths', 'body.note']);
  });

  it('refuses an in-kind value that is not integer fen, and a decision without a reason', async () => {
    const inKind = await api.call('POST', `/loans/${UNKNOWN_LOAN}/in-kind`, {
      as: 'village-shiban',
      raw: `{"amountFen":3e5,"description":"heifer calf","receivedOn":"${today()}"}`,
    });
    expect(paths(inKind)).toEqual(['body.amountFen']);
    const decision = await api.call('POST', `/loans/${UNKNOWN_LOAN}/hardship/hs-${UUID}/decision`, {
      as: 'county-office',
      body: { approve: true, reason: '  ' },
    });
    expect(decision.status).toBe(400);
    expect(paths(decision)).toEqual(['body.reason']);
  });
});
