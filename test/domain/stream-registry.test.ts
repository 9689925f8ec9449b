import { auditDecider } from '../../src/domain/audit/audit';
import { userDecider } from '../../src/domain/users/user-events';
import { STREAM_DECIDERS } from '../../src/domain/stream-deciders';
import { STREAM_ID, STREAM_TYPE, STREAM_TYPES } from '../../src/domain/streams';

describe('the registry of stream types', () => {
  it.each(STREAM_TYPES)('%s has a decider of its own type, in the shape of every decider', (type) => {
    const decider = STREAM_DECIDERS[type];
    expect(decider.streamType).toBe(type);
    expect(STREAM_TYPE[type]).toBe(type);
    expect(typeof decider.decide).toBe('function');
    expect(typeof decider.evolve).toBe('function');
    expect(typeof decider.initialState).toBe('function');
    expect(() => decider.initialState()).not.toThrow();
  });

  it('registers exactly the stream types that are stored (they may never change)', () => {
    expect([...STREAM_TYPES].sort()).toEqual([
      'audit',
      'case',
      'disbursement',
      'fund',
      'help-plan',
      'helper',
      'household',
      'loan',
      'loan-batch',
      'loan-scheme',
      'pairing',
      'reconciliation',
      'review',
      'user',
    ]);
    expect(Object.keys(STREAM_DECIDERS).sort()).toEqual([...STREAM_TYPES].sort());
  });

  it('forms stream ids as they are stored', () => {
    const at = new Date('2026-11-20T23:59:59.999Z');
    expect(STREAM_ID.case('case-1')).toBe('case-1');
    expect(STREAM_ID.fund('fund-1')).toBe('fund-1');
    expect(STREAM_ID.disbursement('disb-1')).toBe('disb-1');
    expect(STREAM_ID.reconciliation('fund-1', '2026-11-20')).toBe('recon-fund-1-2026-11-20');
    expect(STREAM_ID.accessDenials(at)).toBe('audit-denials-2026-11-20');
    expect(STREAM_ID.codecDecodes(at)).toBe('audit-codec-2026-11-20');
    expect(STREAM_ID.scheme('scheme-1')).toBe('scheme-1');
    expect(STREAM_ID.batch('batch-1')).toBe('batch-1');
    expect(STREAM_ID.loan('loan-1')).toBe('loan-1');
    expect(STREAM_ID.user('county-admin')).toBe('user-county-admin');
    expect(STREAM_ID.helper('helper-li')).toBe('helper-helper-li');
    expect(STREAM_ID.pairing('hh-1')).toBe('pairing-hh-1');
    expect(STREAM_ID.helpPlan('hh-1')).toBe('plan-hh-1');
  });
});

describe('the audit decider', () => {
  it('records each denial and decode as one event, whatever the log holds', () => {
    const denial = { userId: 'u-1', role: 'applicant', jurisdiction: '522701101201', method: 'GET', path: '/funds', reason: 'role' };
    const decode = { userId: 'u-op', role: 'operator', payloads: 2, namespace: null };
    const s = auditDecider.initialState();
    expect(auditDecider.decide({ type: 'RecordDenial', denial }, s)).toEqual([{ type: 'AccessDenied', data: denial }]);
    expect(auditDecider.decide({ type: 'RecordDecode', decode }, s)).toEqual([{ type: 'PayloadsDecoded', data: decode }]);
    expect(auditDecider.evolve(s, { type: 'AccessDenied', data: denial })).toBe(s);
  });
});

describe('the user decider', () => {
  it('records exactly the events it is given, whatever the stream holds', () => {
    const events = [
      { type: 'LoginFailed' as const, data: { userId: 'u-1', failures: 5 } },
      { type: 'AccountLocked' as const, data: { userId: 'u-1', failures: 5, lockedUntil: '2026-12-01T08:15:00.000Z' } },
    ];
    const s = userDecider.initialState();
    expect(userDecider.decide({ type: 'Record', events }, s)).toEqual(events);
    expect(userDecider.decide({ type: 'Record', events: [] }, s)).toEqual([]);
    expect(userDecider.evolve(s, events[0])).toBe(s);
  });
});
