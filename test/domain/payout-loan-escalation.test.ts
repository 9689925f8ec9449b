import { decideApprovalEscalation, nextApprovalEscalation } from '../../src/domain/funds/approval-escalation';
import { decideDisbursementCommand, evolveDisbursement, type DisbursementEvent, type DisbursementState } from '../../src/domain/funds/disbursement';
import { DomainError } from '../../src/domain/errors';
import { locationOf } from '../../src/domain/jurisdiction';
import { decideLoan } from '../../src/domain/loans/loan';
import { nextOverdueEscalation } from '../../src/domain/loans/overdue-escalation';
import { actor, townOfficial } from '../support/fixtures';
import { apply, paidLoan } from './loans/loan-helpers';

/** Issue #13's escalation rules for payouts and loans, as pure functions (the workflows' timers ask them). */
describe('payout approvals past their limit', () => {
  const requested = (levels: ('town' | 'county')[], policy = true): DisbursementState =>
    evolveDisbursement(undefined, {
      type: 'DisbursementRequested',
      data: {
        disbursementId: 'disb-1',
        fundId: 'fund-1',
        fundAccount: '6228000000000001',
        payee: { type: 'household', householdId: 'hh-1', location: locationOf('522701101201'), account: 'enc:v1:x' },
        purpose: 'one_time_relief',
        amountFen: 150_000,
        requiredApprovals: levels,
        requestedBy: 'fund-manager',
        ...(policy && { approvalPolicy: { timeLimit: 'P15D', escalateAfter: 'P3D' } }),
      },
    });
  const since = '2027-01-01T00:00:00.000Z';
  const fold = (s: DisbursementState, events: DisbursementEvent[]) => events.reduce(evolveDisbursement, s);

  it('reminds at the limit, then sends a town step to the county; nothing before its time, nothing twice', () => {
    let s = requested(['town']);
    expect(nextApprovalEscalation(s, since)).toEqual({ type: 'RemindApproval', round: 0, at: '2027-01-16T00:00:00.000Z' });
    expect(decideApprovalEscalation({ type: 'RemindApproval', round: 0, since, at: '2027-01-15T23:59:59.000Z' }, s)).toEqual([]);
    const reminded = decideApprovalEscalation({ type: 'RemindApproval', round: 0, since, at: '2027-01-16T00:00:00.000Z' }, s);
    expect(reminded).toEqual([{ type: 'ApprovalReminderSent', data: { level: 'town', round: 0, dueAt: '2027-01-16T00:00:00.000Z' } }]);
    s = fold(s, reminded);
    expect(decideApprovalEscalation({ type: 'RemindApproval', round: 0, since, at: '2027-02-01T00:00:00.000Z' }, s)).toEqual([]);
    expect(nextApprovalEscalation(s, since)).toEqual({ type: 'EscalateApproval', round: 0, at: '2027-01-19T00:00:00.000Z' });
    const escalated = decideDisbursementCommand({ type: 'EscalateApproval', round: 0, since, at: '2027-01-19T00:00:00.000Z' }, s);
    expect(escalated).toEqual([{ type: 'ApprovalEscalated', data: { level: 'town', round: 0, to: 'county', jurisdiction: '522701' } }]);
    s = fold(s, escalated);
    expect(nextApprovalEscalation(s, since)).toBeUndefined();
  });

  it('only reminds a county step; a new step starts afresh; a payout without limits or no longer awaiting is never escalated', () => {
    let s = fold(requested(['town', 'county']), [{ type: 'ApprovalReminderSent', data: { level: 'town', round: 0, dueAt: since } }]);
    s = fold(s, decideDisbursementCommand({ type: 'Approve', actor: townOfficial }, s));
    expect(nextApprovalEscalation(s, since)).toMatchObject({ type: 'RemindApproval', round: 1 });
    s = fold(s, [{ type: 'ApprovalReminderSent', data: { level: 'county', round: 1, dueAt: since } }]);
    expect(nextApprovalEscalation(s, since)).toBeUndefined();
    expect(nextApprovalEscalation(requested(['town'], false), since)).toBeUndefined();
    const rejected = fold(requested(['town']), [{ type: 'DisbursementRejected', data: { rejectedBy: 'u-town', reason: 'no' } }]);
    expect(decideApprovalEscalation({ type: 'RemindApproval', round: 0, since, at: '2030-01-01T00:00:00.000Z' }, rejected)).toEqual([]);
  });

  it('a reassignment: by a supervisor only, while approvals are awaited, to someone else', () => {
    const s = requested(['town']);
    const c = { type: 'ReassignTask' as const, taskId: 't-1', from: null, to: 'town-2', reason: 'away', actor: actor('sup', 'supervisor', '522701') };
    expect(decideDisbursementCommand(c, s)).toEqual([
      { type: 'ApprovalTaskReassigned', data: { taskId: 't-1', from: null, to: 'town-2', reason: 'away', by: 'sup' } },
    ]);
    expect(() => decideDisbursementCommand({ ...c, actor: townOfficial }, s)).toThrow(DomainError);
    expect(() => decideDisbursementCommand({ ...c, from: 'town-2' }, s)).toThrow(DomainError);
    const paid = fold(s, [{ type: 'DisbursementRejected', data: { rejectedBy: 'u-town', reason: 'no' } }]);
    expect(() => decideDisbursementCommand(c, paid)).toThrow(DomainError);
  });
});

describe('late loan instalments', () => {
  // The seed terms: 55,000 fen due 31 December 2026, 30 grace days: late from 31 January 2027.
  const reminded = () => apply(paidLoan(), { type: 'IssueReminder', instalment: 1, today: '2026-12-17' });
  const escalate = (key: string, at: string) => ({ type: 'EscalateOverdue' as const, key, at, escalateAfter: 'P3D' });

  it('goes to the town 3 days into the lateness and to the county 3 days later, each once', () => {
    expect(nextOverdueEscalation(paidLoan(), 'P3D')).toBeUndefined(); // never reminded
    let s = reminded();
    const town = nextOverdueEscalation(s, 'P3D');
    expect(town).toEqual({ instalment: 1, dueDate: '2026-12-31', level: 'town', at: '2027-02-03T00:00:00.000Z', key: '1@2026-12-31:town' });
    expect(decideLoan(escalate('1@2026-12-31:town', '2027-02-02T23:00:00.000Z'), s)).toEqual([]);
    const up = decideLoan(escalate('1@2026-12-31:town', '2027-02-03T00:00:00.000Z'), s);
    expect(up).toEqual([
      { type: 'RepaymentEscalated', data: { instalment: 1, dueDate: '2026-12-31', level: 'town', jurisdiction: s.location.town, owedFen: 55_000 } },
    ]);
    s = apply(s, escalate('1@2026-12-31:town', '2027-02-03T00:00:00.000Z'));
    expect(decideLoan(escalate('1@2026-12-31:town', '2027-03-01T00:00:00.000Z'), s)).toEqual([]);
    expect(nextOverdueEscalation(s, 'P3D')).toMatchObject({ level: 'county', at: '2027-02-06T00:00:00.000Z' });
    s = apply(s, escalate('1@2026-12-31:county', '2027-02-06T00:00:00.000Z'));
    expect(s.overdueEscalations).toEqual([
      { instalment: 1, dueDate: '2026-12-31', level: 'town' },
      { instalment: 1, dueDate: '2026-12-31', level: 'county' },
    ]);
    expect(nextOverdueEscalation(s, 'P3D')).toBeUndefined();
  });

  it('never escalates a paid instalment', () => {
    const s = apply(reminded(), {
      type: 'RecordRepayment',
      repaymentId: 'r1',
      amountFen: 55_000,
      method: 'cash',
      reference: 'R-1',
      receivedOn: '2026-12-20',
      actor: actor('u-village', 'village_official', '522701101201'),
    });
    expect(nextOverdueEscalation(s, 'P3D')).toBeUndefined();
    expect(decideLoan(escalate('1@2026-12-31:town', '2027-03-01T00:00:00.000Z'), s)).toEqual([]);
  });

  it('a task of a running loan is reassigned by a supervisor of its place only, with a reason', () => {
    const s = reminded();
    const c = {
      type: 'ReassignTask' as const,
      taskId: 't-1',
      from: null,
      to: 'village-2',
      reason: '病假 / sick leave',
      actor: actor('sup', 'supervisor', '522701'),
    };
    expect(decideLoan(c, s)).toEqual([
      { type: 'LoanTaskReassigned', data: { taskId: 't-1', from: null, to: 'village-2', reason: '病假 / sick leave', by: 'sup' } },
    ]);
    expect(() => decideLoan({ ...c, actor: actor('v', 'village_official', '522701101201') }, s)).toThrow(DomainError);
    expect(() => decideLoan({ ...c, actor: actor('sup-2', 'supervisor', '522702') }, s)).toThrow(DomainError); // another county
    expect(() => decideLoan({ ...c, reason: ' ' }, s)).toThrow(DomainError);
    expect(() => decideLoan({ ...c, from: 'village-2' }, s)).toThrow(DomainError);
  });
});
