import { requiredApprovals } from '../../src/domain/funds/approval-policy';
import {
  decideDisbursement,
  disbursementDecider,
  evolveDisbursement,
  nextApproval,
  type DisbursementCommand,
  type DisbursementEvent,
  type DisbursementState,
} from '../../src/domain/funds/disbursement';
import { DomainError } from '../../src/domain/errors';
import { locationOf } from '../../src/domain/jurisdiction';
import { actor, COUNTY, OTHER_TOWN, TOWN, VILLAGE } from '../support/fixtures';

const town = actor('u-town', 'town_official', TOWN);
const county1 = actor('u-county-1', 'county_official', COUNTY);
const county2 = actor('u-county-2', 'county_official', COUNTY);

function requested(amountFen: number): DisbursementState {
  const e: DisbursementEvent = {
    type: 'DisbursementRequested',
    data: {
      disbursementId: 'disb-1',
      fundId: 'fund-1',
      fundAccount: '6228000000000001',
      purpose: 'one_time_relief',
      amountFen,
      payee: { type: 'household', householdId: 'hh_1', location: locationOf(VILLAGE), account: '6228000000001111' },
      requiredApprovals: requiredApprovals(amountFen),
      requestedBy: 'u-fund-manager',
    },
  };
  return evolveDisbursement(undefined, e);
}
const apply = (s: DisbursementState, c: Parameters<typeof decideDisbursement>[0]) => decideDisbursement(c, s).reduce(evolveDisbursement, s);
const refusal = (s: DisbursementState, c: Parameters<typeof decideDisbursement>[0]) => {
  try {
    decideDisbursement(c, s);
    return undefined;
  } catch (e) {
    return (e as DomainError).code;
  }
};

describe('approval thresholds', () => {
  it.each([
    [1, ['town']],
    [200_000, ['town']],
    [200_001, ['town', 'county']],
    [5_000_000, ['town', 'county']],
    [5_000_001, ['town', 'county', 'county']],
  ])('%i fen needs %j', (fen, levels) => {
    expect(requiredApprovals(fen)).toEqual(levels);
  });
  it('takes configured thresholds', () => {
    expect(requiredApprovals(150_000, { townOnlyMaxFen: 100_000, secondCountyAboveFen: 1_000_000 })).toEqual(['town', 'county']);
  });
});

describe('disbursement decisions', () => {
  it('collects approvals in order, each by the right role, then is approved', () => {
    let s = requested(6_000_000);
    expect(nextApproval(s)).toBe('town');
    expect(refusal(s, { type: 'Approve', actor: county1 })).toBe('forbidden'); // the town comes first
    s = apply(s, { type: 'Approve', actor: town });
    s = apply(s, { type: 'Approve', actor: county1 });
    expect(refusal(s, { type: 'Approve', actor: county1 })).toBe('forbidden'); // two distinct county approvers
    s = apply(s, { type: 'Approve', actor: county2 });
    expect(s).toMatchObject({
      status: 'approved',
      approvals: [
        { level: 'town', by: 'u-town' },
        { level: 'county', by: 'u-county-1' },
        { level: 'county', by: 'u-county-2' },
      ],
    });
    expect(refusal(s, { type: 'Approve', actor: town })).toBe('wrong_stage');
  });

  it('never lets the requester approve or reject', () => {
    const s = requested(100_000);
    expect(refusal(s, { type: 'Approve', actor: actor('u-fund-manager', 'town_official', TOWN) })).toBe('forbidden');
  });

  it("refuses approvers outside the payee's jurisdiction", () => {
    expect(refusal(requested(100_000), { type: 'Approve', actor: actor('u-other', 'town_official', OTHER_TOWN) })).toBe('forbidden');
  });

  it('ends with a rejection that needs a reason', () => {
    const s = requested(100_000);
    expect(refusal(s, { type: 'Reject', actor: town, reason: ' ' })).toBe('invalid');
    expect(apply(s, { type: 'Reject', actor: town, reason: 'not eligible for this fund' })).toMatchObject({
      status: 'rejected',
      reason: 'not eligible for this fund',
    });
  });

  it('follows the payment steps to paid, or to failed', () => {
    const approved = apply(requested(100_000), { type: 'Approve', actor: town });
    const steps: DisbursementEvent[] = [
      { type: 'FundsReserved', data: { amountFen: 100_000 } },
      { type: 'PaymentSent', data: { paymentId: 'p1' } },
    ];
    const sent = steps.reduce(evolveDisbursement, approved);
    expect(sent.status).toBe('sent');
    expect(evolveDisbursement(sent, { type: 'PaymentConfirmed', data: { paymentId: 'p1', settledAt: '2026-11-23T00:00:00Z' } }).status).toBe('paid');
    const failed = [
      { type: 'PaymentFailed', data: { reason: 'account closed' } },
      { type: 'ReservationReleased', data: { amountFen: 100_000 } },
    ] as DisbursementEvent[];
    expect(failed.reduce(evolveDisbursement, sent)).toMatchObject({ status: 'failed', reason: 'account closed' });
  });
});

describe('the disbursement decider', () => {
  const run = (s: DisbursementState | undefined, c: DisbursementCommand) =>
    disbursementDecider.decide(c, s).reduce<DisbursementState | undefined>((st, e) => disbursementDecider.evolve(st, e), s);
  const code = (s: DisbursementState | undefined, c: DisbursementCommand) => {
    try {
      disbursementDecider.decide(c, s);
      return undefined;
    } catch (e) {
      return (e as DomainError).code;
    }
  };
  const request = {
    disbursementId: 'disb-2',
    fundId: 'fund-1',
    fundAccount: '6228000000000001',
    purpose: 'one_time_relief' as const,
    amountFen: 100_000,
    payee: { type: 'household' as const, householdId: 'hh_1', location: locationOf(VILLAGE), account: '6228000000001111' },
    requiredApprovals: requiredApprovals(100_000),
    requestedBy: 'u-fund-manager',
  };

  it('decides every step of the stream, in turn, as its workflow takes them', () => {
    const started = run(disbursementDecider.initialState(), { type: 'Request', request });
    expect(started).toMatchObject({ status: 'awaiting_approval', version: 1 });
    expect(code(started, { type: 'Request', request })).toBe('wrong_stage');
    expect(code(started, { type: 'RecordReservation', amountFen: 100_000 })).toBe('wrong_stage'); // not approved yet
    let s = run(started, { type: 'Approve', actor: town });
    expect(code(s, { type: 'ConfirmPayment', paymentId: 'p1', settledAt: '2026-11-23T00:00:00Z' })).toBe('wrong_stage');
    s = run(s, { type: 'RecordReservation', amountFen: 100_000 });
    s = run(s, { type: 'RecordPaymentSent', paymentId: 'p1' });
    expect(disbursementDecider.decide({ type: 'FailPayment', reason: 'account closed', releasedFen: 100_000 }, s).map((e) => e.type)).toEqual([
      'PaymentFailed',
      'ReservationReleased',
    ]);
    expect(run(s, { type: 'ConfirmPayment', paymentId: 'p1', settledAt: '2026-11-23T00:00:00Z' })).toMatchObject({
      status: 'paid',
      paymentId: 'p1',
      version: 5,
    });
  });

  it('refuses an approved disbursement with the reason, and decides nothing before the request', () => {
    const approved = run(run(undefined, { type: 'Request', request }), { type: 'Approve', actor: town });
    expect(run(approved, { type: 'Refuse', reason: 'the fund has too little available' })).toMatchObject({
      status: 'refused',
      reason: 'the fund has too little available',
    });
    expect(code(undefined, { type: 'Approve', actor: town })).toBe('not_found');
  });
});
