/** One cycle's batch of households (stream `loan-batch`): publicity, objections, signatures, loans. */
import type { StreamDecider } from '../decider';
import type { Location } from '../jurisdiction';
import { STREAM_TYPE } from '../streams';
import type { BatchCommand } from './commands';
import type { BatchEvent, SignatureMethod } from './events';
import type { LoanTerms } from './terms';

export type BatchStatus = 'publicity' | 'signing' | 'paying' | 'completed';
export type BatchHouseholdStatus = 'proposed' | 'removed' | 'signed' | 'unsigned' | 'issued' | 'failed';

export interface BatchHouseholdState {
  householdId: string;
  location: Location;
  status: BatchHouseholdStatus;
  signature?: { method: SignatureMethod; signedBy: string; signedAt: string; scanHash?: string };
  loanId?: string;
  disbursementId?: string;
}

export interface BatchState {
  batchId: string;
  schemeId: string;
  fundId: string;
  cycle: number;
  termsVersion: number;
  terms: LoanTerms;
  publicityEndsAt: string;
  proposedBy: string;
  status: BatchStatus;
  households: BatchHouseholdState[];
  objections: { objectionId: string; householdId: string; raisedBy: string; reason: string; resolved: boolean; substantiated?: boolean }[];
  loansPaid: number;
  paidFen: number;
  failed: string[];
  version: number;
}

export const initialBatchState = (): BatchState | undefined => undefined;

export function evolveBatch(state: BatchState | undefined, event: BatchEvent): BatchState {
  void [state, event];
  throw new Error('TODO');
}

export function decideBatch(command: BatchCommand, state: BatchState | undefined): BatchEvent[] {
  void [command, state];
  throw new Error('TODO');
}

export const batchDecider: StreamDecider<BatchState | undefined, BatchCommand, BatchEvent> = {
  streamType: STREAM_TYPE['loan-batch'],
  decide: decideBatch,
  evolve: evolveBatch,
  initialState: initialBatchState,
};
