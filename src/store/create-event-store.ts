import type { Pool } from 'pg';
import { EventStore } from './event-store';
import { helpProjector } from './help/help-projection';
import { caseProjector } from './projections/cases';
import { denialProjector } from './projections/denials';
import { disbursementProjector } from './projections/disbursements';
import { householdTransferProjector } from './projections/household-transfers';
import { fundProjector } from './projections/funds';
import { loanBatchProjector } from './projections/loan-batches';
import { loanSchemeProjector } from './projections/loan-schemes';
import { loanProjector } from './projections/loans';
import { reconciliationProjector } from './projections/reconciliations';

/**
 * The store every writer appends through (the worker's activities and the API alike), with
 * every projection wired in. It lives in the store, not the worker, so that the API can build
 * one without loading `@temporalio/worker`.
 */
export function createEventStore(pool: Pool): EventStore {
  return new EventStore(pool, {
    projectors: [
      caseProjector,
      fundProjector,
      disbursementProjector,
      reconciliationProjector,
      denialProjector,
      loanSchemeProjector,
      loanBatchProjector,
      loanProjector,
      helpProjector,
      householdTransferProjector,
    ],
  });
}
