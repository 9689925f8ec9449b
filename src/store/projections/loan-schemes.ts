import type { PoolClient } from 'pg';
import { assertNever } from '../../domain/errors';
import type { SchemeEvent } from '../../domain/loans/events';
import { projectorOf } from '../projector';
import type { StoredEvent } from '../types';
import { LOAN_STREAM } from './loan-streams';

/**
 * The schemes read model, and each batch's claim on the pool's cash (the batch's own stream
 * fills in the rest of its row; whichever comes first inserts it).
 */
export const loanSchemeProjector = projectorOf([LOAN_STREAM.scheme], async (tx, events) => {
  for (const stored of events) await project(tx, stored.streamId, { type: stored.type, data: stored.data } as SchemeEvent, stored);
});

async function project(tx: PoolClient, schemeId: string, e: SchemeEvent, at: StoredEvent): Promise<void> {
  switch (e.type) {
    case 'SchemeCreated': {
      const d = e.data;
      await tx.query(
        `INSERT INTO loan_schemes (scheme_id, name, fund_id, county, terms, terms_version, eligible_villages, write_off_bar_years, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $9)`,
        [schemeId, d.name, d.fundId, d.county, d.terms, d.eligibleVillages, d.writeOffBarYears, d.createdBy, at.recordedAt],
      );
      return;
    }
    case 'TermsRevised':
      await tx.query('UPDATE loan_schemes SET terms = $2, terms_version = $3, eligible_villages = $4, updated_at = $5 WHERE scheme_id = $1', [
        schemeId,
        e.data.terms,
        e.data.termsVersion,
        e.data.eligibleVillages,
        at.recordedAt,
      ]);
      return;
    case 'BatchProposed': {
      const d = e.data;
      await tx.query(
        `INSERT INTO loan_batches (batch_id, scheme_id, cycle, terms_version, status, households, claim_fen, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'publicity', $5, $6, $7, $7)
         ON CONFLICT (batch_id) DO UPDATE SET claim_fen = EXCLUDED.claim_fen`,
        [d.batchId, schemeId, d.cycle, d.termsVersion, d.households, d.claimFen, at.recordedAt],
      );
      return;
    }
    case 'BatchSettled': {
      const d = e.data;
      await tx.query('UPDATE loan_batches SET settled_at = $2, loans_paid = $3, paid_fen = $4, updated_at = $2 WHERE batch_id = $1', [
        d.batchId,
        at.recordedAt,
        d.loansPaid,
        d.paidFen,
      ]);
      await tx.query(
        `UPDATE loan_schemes SET cycles = cycles + CASE WHEN $2 > 0 THEN 1 ELSE 0 END, households_served = households_served + $2, updated_at = $3
         WHERE scheme_id = $1`,
        [schemeId, d.loansPaid, at.recordedAt],
      );
      return;
    }
    default:
      return assertNever(e);
  }
}
