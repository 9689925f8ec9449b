import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { assertNever } from '../../domain/errors';
import type { ReconciliationEvent } from '../../domain/funds/reconciliation-events';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';
import { syncOpenTask } from './tasks';

/** A UUID-shaped id from a subject, so task ids keep the inbox's `task-{uuid}-{n}` form. */
function uuidOf(subject: string): string {
  const h = createHash('sha256').update(subject).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The task's subject: one finding of one day's reconciliation (one open task per finding). */
const subjectOf = (streamId: string, mismatchId: string) => `${streamId}/${mismatchId}`;

/**
 * Where a fund's task sits in the inbox: the fund's jurisdiction, a county, a town or a
 * village. It shows to fund managers at or above the fund's level and never to one of a
 * sibling place (see migration 013).
 */
async function fundJurisdiction(tx: PoolClient, fundId: string): Promise<string> {
  return (await tx.query<{ jurisdiction: string }>('SELECT jurisdiction FROM funds WHERE fund_id = $1', [fundId])).rows[0].jurisdiction;
}

async function project(tx: PoolClient, e: StoredEvent): Promise<void> {
  const ev = { type: e.type, data: e.data } as ReconciliationEvent;
  switch (ev.type) {
    case 'ReconciliationCompleted':
      await tx.query(
        `INSERT INTO reconciliations (fund_id, date, at, matched, mismatches) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (fund_id, date) DO UPDATE SET at = EXCLUDED.at, matched = EXCLUDED.matched, mismatches = EXCLUDED.mismatches`,
        [ev.data.fundId, ev.data.date, e.recordedAt, ev.data.matched, ev.data.mismatches],
      );
      return;
    case 'MismatchFound': {
      const subject = subjectOf(e.streamId, ev.data.mismatchId);
      await syncOpenTask(
        tx,
        { kind: 'reconciliation', id: subject },
        {
          taskId: `task-${uuidOf(subject)}-${ev.data.round}`,
          kind: 'decision',
          step: `reconciliation_${ev.data.kind}`,
          roles: ['fund_manager'],
          jurisdiction: await fundJurisdiction(tx, ev.data.fundId),
          householdHash: '',
          round: String(ev.data.round),
        },
        e.recordedAt,
      );
      return;
    }
    case 'MismatchCleared':
      await syncOpenTask(tx, { kind: 'reconciliation', id: subjectOf(e.streamId, ev.data.mismatchId) }, undefined, e.recordedAt);
      return;
    default:
      assertNever(ev);
  }
}

/**
 * A reconciliation stream's read models, in the append's transaction: the day's row in
 * `reconciliations` (what `GET /funds/{id}` shows as lastReconciliation) and a fund-manager
 * task per open finding, closed when a later run no longer finds it.
 */
export const reconciliationProjector = projectorOf([STREAM_TYPE.reconciliation], async (tx, events) => {
  for (const e of events) await project(tx, e);
});
