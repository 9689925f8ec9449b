import type { HouseholdEligibility, SchemeCommand } from '../../../src/domain/loans/commands';
import type { BatchHousehold } from '../../../src/domain/loans/events';
import {
  IneligibleHouseholdsError,
  InsufficientPoolCashError,
  decideScheme,
  evolveScheme,
  schemeDecider,
  type SchemeState,
} from '../../../src/domain/loans/scheme';
import { COUNTY, OTHER_VILLAGE, VILLAGE, countyOfficial, location, refusal, seedTerms, townOfficial } from './fixtures';

const apply = (s: SchemeState | undefined, c: SchemeCommand): SchemeState =>
  decideScheme(c, s).reduce<SchemeState | undefined>((st, e) => evolveScheme(st, e), s) as SchemeState;

const create: SchemeCommand = {
  type: 'CreateScheme',
  schemeId: 'scheme-1',
  name: '肉牛滚动扶贫 cattle loans',
  fundId: 'fund-pool',
  county: COUNTY,
  eligibleVillages: [VILLAGE],
  writeOffBarYears: 3,
  terms: seedTerms(),
  actor: countyOfficial,
};

const household = (i: number, village = VILLAGE): BatchHousehold => ({ householdId: `hh-${i}`, location: location(village) });
const eligible = (h: BatchHousehold, over: Partial<HouseholdEligibility> = {}): HouseholdEligibility => ({
  householdId: h.householdId,
  enrolled: true,
  village: h.location.village,
  hasActiveLoan: false,
  today: '2026-03-01',
  ...over,
});
const propose = (batchId: string, households: BatchHousehold[], poolCashFen: number, eligibility = households.map((h) => eligible(h))): SchemeCommand => ({
  type: 'ProposeBatch',
  batchId,
  households,
  eligibility,
  poolCashFen,
  actor: countyOfficial,
});
const many = (n: number, from = 1) => Array.from({ length: n }, (_, i) => household(from + i));

describe('a loan scheme', () => {
  it('is created by a county official of its county; the same creation again decides nothing', () => {
    const s = apply(undefined, create);
    expect(s).toMatchObject({ schemeId: 'scheme-1', termsVersion: 1, householdsServed: 0, batches: [] });
    expect(decideScheme(create, s)).toEqual([]);
    expect(refusal(() => decideScheme({ ...create, name: 'other' }, s)).code).toBe('invalid');
    expect(refusal(() => decideScheme({ ...create, actor: townOfficial }, undefined)).code).toBe('forbidden');
    expect(refusal(() => decideScheme({ ...create, terms: seedTerms({ amountFen: -1 }) }, undefined)).message).toMatch(/^terms\.amountFen/);
    expect(refusal(() => decideScheme({ ...create, eligibleVillages: ['522702101201'] }, undefined)).message).toMatch(/eligibleVillages\[0\]/);
    expect(schemeDecider.streamType).toBe('loan-scheme');
  });

  it('revised terms apply to batches proposed later; the versions are kept', () => {
    let s = apply(undefined, create);
    s = apply(s, propose('b-1', many(2), 220_000));
    const terms2 = seedTerms({ amountFen: 120_000 });
    s = apply(s, { type: 'ReviseTerms', terms: terms2, eligibleVillages: [VILLAGE, OTHER_VILLAGE], reason: 'cattle cost more', actor: countyOfficial });
    expect(s.termsVersion).toBe(2);
    expect(s.termsByVersion[1].amountFen).toBe(110_000);
    expect(s.termsByVersion[2].amountFen).toBe(120_000);
    expect(s.batches[0].termsVersion).toBe(1);
    const events = decideScheme(propose('b-2', [household(5, OTHER_VILLAGE)], 1_000_000), s);
    expect(events[0]).toMatchObject({ type: 'BatchProposed', data: { termsVersion: 2, claimFen: 120_000, cycle: 2 } });
  });
});

describe('proposing a batch', () => {
  const scheme = apply(undefined, create);

  it('claims households × amount of the pool cash, with the next cycle number; idempotent by batchId', () => {
    const events = decideScheme(propose('b-1', many(80), 8_800_000), scheme);
    expect(events).toEqual([
      {
        type: 'BatchProposed',
        data: {
          batchId: 'b-1',
          cycle: 1,
          termsVersion: 1,
          households: 80,
          claimFen: 8_800_000,
          proposedBy: 'c-1',
          householdIds: many(80).map((h) => h.householdId),
        },
      },
    ]);
    const s = apply(scheme, propose('b-1', many(80), 8_800_000));
    expect(s.openClaims).toEqual({ 'b-1': 8_800_000 });
    expect(decideScheme(propose('b-1', many(80), 8_800_000), s)).toEqual([]);
  });

  it('names every refused household and every reason', () => {
    const hs = [household(1), household(2), household(3, OTHER_VILLAGE), household(4), household(5), household(1)];
    const facts = [
      eligible(hs[0]),
      eligible(hs[1], { enrolled: false, hasActiveLoan: true }),
      eligible(hs[2]),
      eligible(hs[3], { lastWriteOffOn: '2024-03-02' }), // within 3 years of 2026-03-01
      eligible(hs[4], { lastWriteOffOn: '2023-03-01' }), // exactly 3 years ago: eligible again
    ];
    const e = refusal(() => decideScheme(propose('b-1', hs, 100_000_000, facts), scheme));
    expect(e).toBeInstanceOf(IneligibleHouseholdsError);
    expect(e.code).toBe('invalid');
    expect((e as IneligibleHouseholdsError).refusals).toEqual([
      { householdId: 'hh-2', reasons: ['not_enrolled', 'active_loan'] },
      { householdId: 'hh-3', reasons: ['village_not_eligible'] },
      { householdId: 'hh-4', reasons: ['recent_write_off'] },
      { householdId: 'hh-1', reasons: ['duplicate_in_batch'] },
    ]);
    expect(e.message).toContain('hh-3 (village_not_eligible)');
  });

  it('a household in another open batch has an active loan of the scheme', () => {
    const s = apply(scheme, propose('b-1', many(2), 220_000));
    const e = refusal(() => decideScheme(propose('b-2', [household(2)], 1_000_000), s)) as IneligibleHouseholdsError;
    expect(e.refusals).toEqual([{ householdId: 'hh-2', reasons: ['active_loan'] }]);
  });

  it('never exceeds the pool cash not claimed by other open batches', () => {
    let s = apply(scheme, propose('b-1', many(30), 5_500_000)); // claims 3,300,000 of 5,500,000
    const e = refusal(() => decideScheme(propose('b-2', many(21, 100), 5_500_000), s));
    expect(e).toBeInstanceOf(InsufficientPoolCashError);
    expect(e).toMatchObject({ code: 'invalid', availableFen: 2_200_000, neededFen: 2_310_000, maxHouseholds: 20 });
    expect(types(decideScheme(propose('b-2', many(20, 100), 5_500_000), s))).toEqual(['BatchProposed']);
    // Once settled, the claim is released: the fund's own cash shows what the batch paid.
    s = apply(s, { type: 'SettleBatch', batchId: 'b-1', loansPaid: 29, paidFen: 3_190_000 });
    expect(s.openClaims).toEqual({});
    expect(s.householdsServed).toBe(29);
    expect(s.batches[0]).toMatchObject({ status: 'settled', loansPaid: 29 });
    expect(decideScheme({ type: 'SettleBatch', batchId: 'b-1', loansPaid: 29, paidFen: 3_190_000 }, s)).toEqual([]);
    expect(types(decideScheme(propose('b-2', many(21, 100), 5_500_000 - 3_190_000), s))).toEqual(['BatchProposed']);
  });

  it('is a county official’s act, and a batch is not empty', () => {
    expect(
      refusal(() => decideScheme({ ...(propose('b-1', many(1), 110_000) as Extract<SchemeCommand, { type: 'ProposeBatch' }>), actor: townOfficial }, scheme))
        .code,
    ).toBe('forbidden');
    expect(refusal(() => decideScheme(propose('b-1', [], 110_000), scheme)).code).toBe('invalid');
    expect(refusal(() => decideScheme({ type: 'SettleBatch', batchId: 'b-9', loansPaid: 0, paidFen: 0 }, scheme)).code).toBe('not_found');
  });
});

const types = (events: { type: string }[]) => events.map((e) => e.type);
