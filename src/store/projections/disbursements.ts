import { APPROVER_ROLE } from '../../domain/funds/approval-policy';
import { addDuration } from '../../domain/time';
import { evolveDisbursement, nextApproval, type DisbursementEvent, type DisbursementState } from '../../domain/funds/disbursement';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import { reassignTask } from './tasks-queries';
import { syncOpenTask, versionedTaskId, type WantedTask } from './tasks';

/** The disbursements read model and its approval tasks, folded with the domain's own evolve. */
export const disbursementProjector = projectorOf([STREAM_TYPE.disbursement], async (tx, events) => {
  const id = events[0].streamId;
  const before = (await tx.query<{ state: DisbursementState }>('SELECT state FROM disbursements WHERE disbursement_id = $1 FOR UPDATE', [id])).rows[0]?.state;
  const s = events.reduce<DisbursementState | undefined>((st, e) => evolveDisbursement(st, { type: e.type, data: e.data } as DisbursementEvent), before);
  if (!s) return;
  const at = events[events.length - 1].recordedAt;
  const loc = s.payee.location;
  await tx.query(
    `INSERT INTO disbursements (disbursement_id, fund_id, payee_type, payee_id, village, town, county, purpose, amount_fen, status, state, requested_at, updated_at, paid_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
     ON CONFLICT (disbursement_id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at,
       paid_at = coalesce(disbursements.paid_at, EXCLUDED.paid_at)`,
    [
      id,
      s.fundId,
      s.payee.type,
      s.payee.type === 'household' ? s.payee.householdId : s.payee.supplierId,
      loc.village,
      loc.town,
      loc.county,
      s.purpose,
      s.amountFen,
      s.status,
      s,
      at,
      s.status === 'paid' ? at : null,
    ],
  );
  const level = nextApproval(s);
  await syncOpenTask(
    tx,
    { kind: 'disbursement', id },
    level && {
      taskId: versionedTaskId(id, s.version),
      kind: 'decision',
      step: `disbursement_approval_${level}`,
      roles: [APPROVER_ROLE[level]],
      jurisdiction: loc.village,
      householdHash: '',
      round: String(s.approvals.length),
      ...(s.approvalPolicy && { dueAt: addDuration(at, s.approvalPolicy.timeLimit) }),
    },
    at,
  );
  // Issue #13: a town step escalated to the county is a follow-up task there until the step moves on.
  if (before?.approvalEscalation?.escalatedTo || s.approvalEscalation?.escalatedTo) {
    await syncOpenTask(tx, { kind: 'escalation', id }, escalationTask(s, events[events.length - 1].version), at);
  }
  for (const e of events) {
    const d = { type: e.type, data: e.data } as DisbursementEvent;
    if (d.type === 'ApprovalTaskReassigned') await reassignTask(tx, id, d.data.taskId, d.data.to);
  }
});

function escalationTask(s: DisbursementState, version: number): WantedTask | undefined {
  const e = s.approvalEscalation;
  const level = nextApproval(s);
  if (!e?.escalatedTo || !level || e.round !== s.approvals.length) return undefined;
  return {
    taskId: versionedTaskId(s.disbursementId, version),
    kind: 'follow_up',
    step: `disbursement_approval_${level}`,
    roles: ['county_official'],
    jurisdiction: s.payee.location.county,
    householdHash: '',
    round: `${e.round}/${e.escalatedTo}`,
  };
}
