/**
 * The read side of helpers, pairings, visits and help plans (migration 023), written in the
 * transaction that appends their events. SQL only stores here: what to write was decided by
 * the domain (src/domain/help).
 */
import type { PoolClient } from 'pg';
import type { HelperProfile } from '../../domain/help/helpers';
import type { HelpPlanEvent } from '../../domain/help/help-plan';
import type { PairingEvent } from '../../domain/help/pairing';
import type { ReviewEvent } from '../../domain/help/review';
import { STREAM_TYPE } from '../../domain/streams';
import { projectorOf } from '../projector';
import { syncOpenTask } from '../projections/tasks';
import type { StoredEvent } from '../types';

async function projectHelper(tx: PoolClient, p: HelperProfile, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO helpers (user_id, rank, unit, jurisdiction, related_id_hashes, active, registered_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, true, $6, $6)
     ON CONFLICT (user_id) DO UPDATE SET rank = EXCLUDED.rank, unit = EXCLUDED.unit, jurisdiction = EXCLUDED.jurisdiction,
       related_id_hashes = EXCLUDED.related_id_hashes, updated_at = EXCLUDED.updated_at`,
    [p.userId, p.rank, p.unit, p.jurisdiction, p.relatedIdHashes, at],
  );
}

/** The town's follow-up task while a household has lost contact with its helper. */
const lostContactTask = (pairingId: string, village: string, round: string, version: number) => ({
  taskId: `task-${pairingId.replace(/^pair-/, '')}-${version}`,
  kind: 'follow_up' as const,
  step: 'lost_contact' as const,
  roles: ['town_official' as const],
  jurisdiction: village.slice(0, 9),
  householdHash: '',
  round,
});

/** Applies a pairing stream's new events to pairings, visits and the town's task. */
async function projectPairingEvents(tx: PoolClient, householdId: string, events: StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const e = { type: stored.type, data: stored.data } as PairingEvent;
    const at = stored.recordedAt;
    switch (e.type) {
      case 'HelperPaired':
        await tx.query(
          `INSERT INTO pairings (pairing_id, household_id, helper_id, village, status, paired_at, paired_by)
           VALUES ($1, $2, $3, $4, 'active', $5, $6) ON CONFLICT (pairing_id) DO NOTHING`,
          [e.data.pairingId, householdId, e.data.helperId, e.data.village, e.data.pairedAt, e.data.by],
        );
        break;
      case 'PairingEnded':
        await tx.query(`UPDATE pairings SET status = 'ended', ended_at = $2, lost_contact_since = NULL WHERE pairing_id = $1`, [e.data.pairingId, at]);
        await syncOpenTask(tx, { kind: 'pairing', id: householdId }, undefined, at);
        break;
      case 'VisitRecorded':
        await tx.query(
          `INSERT INTO visits (visit_id, household_id, helper_id, village, kind, visited_at, recorded_at)
           SELECT $1, household_id, $3, village, $4, $5, $6 FROM pairings WHERE pairing_id = $2 ON CONFLICT (visit_id) DO NOTHING`,
          [e.data.visitId, e.data.pairingId, e.data.helperId, e.data.kind, e.data.visitedAt, at],
        );
        await tx.query(`UPDATE pairings SET last_visit_at = greatest(last_visit_at, $2::timestamptz) WHERE pairing_id = $1`, [
          e.data.pairingId,
          e.data.visitedAt,
        ]);
        break;
      case 'ContactLost': {
        const row = (
          await tx.query<{ village: string }>(`UPDATE pairings SET lost_contact_since = $2 WHERE pairing_id = $1 RETURNING village`, [e.data.pairingId, at])
        ).rows[0];
        if (row) await syncOpenTask(tx, { kind: 'pairing', id: householdId }, lostContactTask(e.data.pairingId, row.village, at, stored.version), at);
        break;
      }
      case 'ContactRestored':
        await tx.query(`UPDATE pairings SET lost_contact_since = NULL WHERE pairing_id = $1`, [e.data.pairingId]);
        await syncOpenTask(tx, { kind: 'pairing', id: householdId }, undefined, at);
        break;
      default:
        throw new Error(`unknown pairing event ${(e as { type: string }).type}`);
    }
  }
}

async function projectHelpPlanEvents(tx: PoolClient, householdId: string, events: StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const e = { type: stored.type, data: stored.data } as HelpPlanEvent;
    const at = stored.recordedAt;
    switch (e.type) {
      case 'PlanDrafted':
        await tx.query(
          `INSERT INTO help_plans (household_id, village, plan_hash, version, status, money_needed, signed_by, effective_at, updated_at)
           VALUES ($1, $2, $3, $4, 'draft', $5, '{}', NULL, $6)
           ON CONFLICT (household_id) DO UPDATE SET plan_hash = EXCLUDED.plan_hash, version = EXCLUDED.version, status = 'draft',
             money_needed = EXCLUDED.money_needed, signed_by = '{}', effective_at = NULL, updated_at = EXCLUDED.updated_at`,
          [householdId, e.data.village, e.data.planHash, e.data.planVersion, e.data.moneyNeededFen, at],
        );
        break;
      case 'SignaturesVoided':
        await tx.query(`UPDATE help_plans SET signed_by = '{}', status = 'draft', effective_at = NULL, updated_at = $2 WHERE household_id = $1`, [
          householdId,
          at,
        ]);
        break;
      case 'PlanSigned':
        await tx.query(`UPDATE help_plans SET signed_by = array_append(signed_by, $2), updated_at = $3 WHERE household_id = $1`, [
          householdId,
          e.data.signedBy,
          at,
        ]);
        break;
      case 'PlanTookEffect':
        await tx.query(`UPDATE help_plans SET status = 'effective', effective_at = $2, updated_at = $2 WHERE household_id = $1`, [householdId, at]);
        break;
      default:
        throw new Error(`unknown help-plan event ${(e as { type: string }).type}`);
    }
  }
}

async function projectReviewEvents(tx: PoolClient, events: StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const e = { type: stored.type, data: stored.data } as ReviewEvent;
    const at = stored.recordedAt;
    switch (e.type) {
      case 'ReviewOpened':
        await tx.query(
          `INSERT INTO reviews (review_id, household_id, village, year, status, opened_at) VALUES ($1, $2, $3, $4, 'open', $5) ON CONFLICT (review_id) DO NOTHING`,
          [e.data.reviewId, e.data.householdId, e.data.village, e.data.year, at],
        );
        await syncOpenTask(
          tx,
          { kind: 'review', id: e.data.reviewId },
          {
            taskId: `task-${e.data.householdId.replace(/^hh-/, '')}-${e.data.year}`,
            kind: 'decision',
            step: 'annual_review',
            roles: ['village_official'],
            jurisdiction: e.data.village,
            householdHash: '',
            round: String(e.data.year),
          },
          at,
        );
        break;
      case 'ReviewConfirmed':
      case 'ReviewExitProposed':
        await tx.query(`UPDATE reviews SET status = $2, closed_at = $3, closed_by = $4 WHERE review_id = $1`, [
          e.data.reviewId,
          e.type === 'ReviewConfirmed' ? 'confirmed' : 'exit_proposed',
          at,
          e.data.by,
        ]);
        await syncOpenTask(tx, { kind: 'review', id: e.data.reviewId }, undefined, at);
        break;
      default:
        throw new Error(`unknown review event ${(e as { type: string }).type}`);
    }
  }
}

/** Wired into the event store (create-event-store.ts): runs in the transaction of every append to these streams. */
export const helpProjector = projectorOf(
  [STREAM_TYPE.helper, STREAM_TYPE.pairing, STREAM_TYPE['help-plan'], STREAM_TYPE.review],
  async (tx, events, streamType) => {
    const first = events[0];
    if (!first) return;
    if (streamType === STREAM_TYPE.helper) {
      for (const e of events) {
        const d = e.data as unknown as HelperProfile;
        await projectHelper(
          tx,
          { userId: d.userId, rank: d.rank, unit: d.unit, jurisdiction: d.jurisdiction, relatedIdHashes: d.relatedIdHashes },
          e.recordedAt,
        );
      }
    } else if (streamType === STREAM_TYPE.pairing) {
      await projectPairingEvents(tx, first.streamId.replace(/^pairing-/, ''), events);
    } else if (streamType === STREAM_TYPE.review) {
      await projectReviewEvents(tx, events);
    } else {
      await projectHelpPlanEvents(tx, first.streamId.replace(/^plan-/, ''), events);
    }
  },
);
