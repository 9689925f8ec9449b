/** The pool's books, read from its fund's state. */
import type { FundState } from '../funds/fund';

export interface PoolBooks {
  contributionsFen: number;
  cashFen: number;
  receivableFen: number;
  inKindFen: number;
  writtenOffFen: number;
  otherPayoutsFen: number;
}

export function poolBooks(state: FundState): PoolBooks {
  void state;
  throw new Error('TODO');
}
