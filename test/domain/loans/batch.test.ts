import { batchDecider, decideBatch, evolveBatch, type BatchState } from '../../../src/domain/loans/batch';
import type { BatchCommand } from '../../../src/domain/loans/commands';
import { OTHER_VILLAGE, TOWN, VILLAGE, actor, countyOfficial, location, refusal, seedTerms, townOfficial, villageOfficial } from './fixtures';

const apply = (s: BatchState | undefined, c: BatchCommand): BatchState =>
  decideBatch(c, s).reduce<BatchState | undefined>((st, e) => evolveBatch(st, e), s) as BatchState;
const applyAll = (s: BatchState | undefined, cs: BatchCommand[]) => cs.reduce<BatchState | undefined>((st, c) => apply(st, c), s) as BatchState;
const types = (events: { type: string }[]) => events.map((e) => e.type);

const terms = seedTerms();
const ENDS = '2026-03-08T00:00:00.000Z';
const open: BatchCommand = {
  type: 'OpenBatch',
  batchId: 'b-1',
  schemeId: 'scheme-1',
  fundId: 'fund-pool',
  cycle: 1,
  termsVersion: 1,
  terms,
  households: [
    { householdId: 'hh-1', location: location() },
    { householdId: 'hh-2', location: location() },
    { householdId: 'hh-3', location: location(OTHER_VILLAGE) },
  ],
  publicityEndsAt: ENDS,
  actor: countyOfficial,
};
const neighbour = actor('u-9', 'applicant', VILLAGE);
const object = (objectionId = 'o-1', householdId = 'hh-2', now = '2026-03-05T10:00:00.000Z'): BatchCommand => ({
  type: 'RaiseObjection',
  objectionId,
  householdId,
  reason: 'they already own six head of cattle',
  now,
  actor: neighbour,
});
const resolve = (substantiated: boolean, a = townOfficial): BatchCommand => ({
  type: 'ResolveObjection',
  objectionId: 'o-1',
  substantiated,
  finding: 'visited on 6 March',
  actor: a,
});
const endPublicity: BatchCommand = { type: 'EndPublicity', now: ENDS };
const SCAN = 'c'.repeat(64);
const sign = (householdId: string, method: 'in_person' | 'attested', over: Partial<Extract<BatchCommand, { type: 'SignAgreement' }>> = {}): BatchCommand => ({
  type: 'SignAgreement',
  householdId,
  method,
  agreementHash: terms.agreement.hash,
  ...(method === 'attested' ? { scanHash: SCAN } : {}),
  now: '2026-03-09T09:00:00.000Z',
  actor: method === 'attested' ? villageOfficial : actor(`app-${householdId}`, 'applicant', VILLAGE),
  ...over,
});

describe('a batch: publicity and objections', () => {
  it('opens with every household proposed, once', () => {
    const s = apply(undefined, open);
    expect(s.status).toBe('publicity');
    expect(s.households.map((h) => h.status)).toEqual(['proposed', 'proposed', 'proposed']);
    expect(decideBatch(open, s)).toEqual([]);
    expect(batchDecider.streamType).toBe('loan-batch');
  });

  it('takes objections only while the list is publicised, about a household on it', () => {
    const s = apply(undefined, open);
    expect(types(decideBatch(object(), s))).toEqual(['BatchObjectionRaised']);
    expect(refusal(() => decideBatch(object('o-1', 'hh-2', ENDS), s)).code).toBe('not_in_publicity');
    expect(refusal(() => decideBatch(object('o-1', 'hh-9'), s)).code).toBe('not_found');
    expect(decideBatch(object(), apply(s, object()))).toEqual([]);
  });

  it("a substantiated objection, resolved by the household's village or town, takes the household out", () => {
    const s = applyAll(undefined, [open, object()]);
    expect(refusal(() => decideBatch(resolve(true, actor('t-9', 'town_official', '522701102')), s)).code).toBe('forbidden');
    expect(refusal(() => decideBatch(resolve(true, countyOfficial), s)).code).toBe('forbidden');
    const after = apply(s, resolve(true, villageOfficial));
    expect(after.households.find((h) => h.householdId === 'hh-2')?.status).toBe('removed');
    expect(decideBatch(resolve(true), after)).toEqual([]);
    expect(refusal(() => decideBatch(resolve(false), after)).code).toBe('invalid');
  });

  it('ends only once the period is over and every objection resolved', () => {
    const s = applyAll(undefined, [open, object()]);
    expect(refusal(() => decideBatch({ type: 'EndPublicity', now: '2026-03-07T23:59:59.999Z' }, s)).code).toBe('invalid');
    expect(refusal(() => decideBatch(endPublicity, s)).message).toContain('o-1');
    const resolved = apply(s, resolve(false));
    expect(decideBatch(endPublicity, resolved)).toEqual([{ type: 'BatchPublicityEnded', data: { households: 3 } }]);
    expect(apply(resolved, endPublicity).status).toBe('signing');
  });
});

describe('a batch: agreements and loans', () => {
  const signing = applyAll(undefined, [open, object(), resolve(true), endPublicity]); // hh-2 removed

  it('is signed only after the publicity ended, on the pinned agreement', () => {
    expect(refusal(() => decideBatch(sign('hh-1', 'in_person'), apply(undefined, open))).code).toBe('wrong_stage');
    expect(refusal(() => decideBatch(sign('hh-1', 'in_person', { agreementHash: 'd'.repeat(64) }), signing)).code).toBe('invalid');
    expect(refusal(() => decideBatch(sign('hh-2', 'in_person'), signing)).code).toBe('not_found');
  });

  it('in person through the applicant account; on paper attested by the village official with the scan', () => {
    expect(decideBatch(sign('hh-1', 'in_person'), signing)).toEqual([
      {
        type: 'AgreementSigned',
        data: { householdId: 'hh-1', method: 'in_person', signedBy: 'app-hh-1', agreementHash: terms.agreement.hash, signedAt: '2026-03-09T09:00:00.000Z' },
      },
    ]);
    expect(refusal(() => decideBatch(sign('hh-1', 'in_person', { actor: villageOfficial }), signing)).code).toBe('forbidden');
    expect(refusal(() => decideBatch(sign('hh-3', 'in_person'), signing)).code).toBe('forbidden'); // an applicant of another village
    expect(types(decideBatch(sign('hh-1', 'attested'), signing))).toEqual(['AgreementSigned']);
    expect(refusal(() => decideBatch(sign('hh-1', 'attested', { scanHash: undefined }), signing)).code).toBe('invalid');
    expect(refusal(() => decideBatch(sign('hh-3', 'attested'), signing)).code).toBe('forbidden'); // not the village's official
    expect(refusal(() => decideBatch(sign('hh-1', 'attested', { actor: { ...townOfficial, jurisdiction: TOWN } }), signing)).code).toBe('forbidden');
    expect(decideBatch(sign('hh-1', 'attested'), apply(signing, sign('hh-1', 'in_person')))).toEqual([]);
  });

  it('closing the signing names the unsigned; one loan per signed household; then complete', () => {
    let s = applyAll(signing, [sign('hh-1', 'in_person')]);
    expect(refusal(() => decideBatch({ type: 'IssueLoan', householdId: 'hh-1', loanId: 'loan-1', disbursementId: 'd-1' }, s)).code).toBe('wrong_stage');
    expect(decideBatch({ type: 'CloseSigning' }, s)).toEqual([{ type: 'SigningClosed', data: { signed: 1, unsigned: ['hh-3'] } }]);
    s = apply(s, { type: 'CloseSigning' });
    expect(s.households.map((h) => h.status)).toEqual(['signed', 'removed', 'unsigned']);
    expect(refusal(() => decideBatch(sign('hh-3', 'in_person', { actor: actor('a', 'applicant', OTHER_VILLAGE) }), s)).code).toBe('wrong_stage');
    expect(refusal(() => decideBatch({ type: 'IssueLoan', householdId: 'hh-3', loanId: 'loan-3', disbursementId: 'd-3' }, s)).code).toBe('invalid');
    const issue: BatchCommand = { type: 'IssueLoan', householdId: 'hh-1', loanId: 'loan-1', disbursementId: 'd-1' };
    s = apply(s, issue);
    expect(decideBatch(issue, s)).toEqual([]);
    expect(refusal(() => decideBatch({ ...issue, loanId: 'loan-9' }, s)).code).toBe('invalid');
    expect(refusal(() => decideBatch({ type: 'CompleteBatch', loansPaid: 1, paidFen: 100, failed: [] }, s)).code).toBe('invalid');
    s = apply(s, { type: 'CompleteBatch', loansPaid: 1, paidFen: 110_000, failed: [] });
    expect(s).toMatchObject({ status: 'completed', loansPaid: 1, paidFen: 110_000 });
    expect(s.households[0]).toMatchObject({ status: 'issued', loanId: 'loan-1', disbursementId: 'd-1' });
    expect(decideBatch({ type: 'CompleteBatch', loansPaid: 1, paidFen: 110_000, failed: [] }, s)).toEqual([]);
  });
});
