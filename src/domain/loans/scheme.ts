/** A revolving loan scheme (stream `loan-scheme`): its terms versions and the cash its open batches claim. */
import type { StreamDecider } from '../decider';
import { DomainError } from '../errors';
import { STREAM_TYPE } from '../streams';
import type { IneligibleReason, SchemeCommand } from './commands';
import type { SchemeEvent } from './events';
import type { LoanTerms } from './terms';

export interface SchemeBatch {
  batchId: string;
  cycle: number;
  termsVersion: number;
  households: number;
  claimFen: number;
  status: 'open' | 'settled';
  loansPaid?: number;
  paidFen?: number;
}

export interface SchemeState {
  schemeId: string;
  name: string;
  fundId: string;
  county: string;
  eligibleVillages: string[];
  writeOffBarYears: number;
  createdBy: string;
  terms: LoanTerms;
  termsVersion: number;
  /** Every version's terms, by version number (a batch pins its version). */
  termsByVersion: Record<number, LoanTerms>;
  /** Cash claimed by batches not yet settled, by batch id. */
  openClaims: Record<string, number>;
  /** Households of batches not yet settled (so two open batches never hold the same household). */
  openHouseholds: Record<string, string[]>;
  batches: SchemeBatch[];
  /** Loans paid over all settled batches. */
  householdsServed: number;
  version: number;
}

/** Households a batch may not hold, each with every reason. */
export class IneligibleHouseholdsError extends DomainError {
  constructor(readonly refusals: { householdId: string; reasons: IneligibleReason[] }[]) {
    super(
      'invalid',
      `${refusals.length} household(s) may not be in this batch: ${refusals.map((r) => `${r.householdId} (${r.reasons.join(', ')})`).join('; ')}`,
    );
    this.name = 'IneligibleHouseholdsError';
  }
}

/** A batch larger than the pool's cash not claimed by other open batches. */
export class InsufficientPoolCashError extends DomainError {
  constructor(
    readonly availableFen: number,
    readonly neededFen: number,
    readonly maxHouseholds: number,
  ) {
    super('invalid', `the pool holds ${availableFen} fen of unclaimed cash, this batch needs ${neededFen} fen: at most ${maxHouseholds} households`);
    this.name = 'InsufficientPoolCashError';
  }
}

export const initialSchemeState = (): SchemeState | undefined => undefined;

export function evolveScheme(state: SchemeState | undefined, event: SchemeEvent): SchemeState {
  void [state, event];
  throw new Error('TODO');
}

export function decideScheme(command: SchemeCommand, state: SchemeState | undefined): SchemeEvent[] {
  void [command, state];
  throw new Error('TODO');
}

export const schemeDecider: StreamDecider<SchemeState | undefined, SchemeCommand, SchemeEvent> = {
  streamType: STREAM_TYPE['loan-scheme'],
  decide: decideScheme,
  evolve: evolveScheme,
  initialState: initialSchemeState,
};
