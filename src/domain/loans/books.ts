/**
 * The pool's books, read from its fund's state. Every fen contributed is, at every moment, in
 * exactly one place: cash (available or reserved for a payout under way), owed by households
 * (receivable), repaid in kind (animals, not cash), written off, or paid out for another purpose:
 * cash + receivable + inKind + writtenOff + otherPayouts = contributions.
 */
import { receivableFen, type FundState } from '../funds/fund';

export interface PoolBooks {
  contributionsFen: number;
  cashFen: number;
  receivableFen: number;
  inKindFen: number;
  writtenOffFen: number;
  otherPayoutsFen: number;
}

export function poolBooks(state: FundState): PoolBooks {
  return {
    contributionsFen: state.depositedFen,
    cashFen: state.availableFen + state.reservedFen,
    receivableFen: receivableFen(state),
    inKindFen: state.inKindFen,
    writtenOffFen: state.writtenOffFen,
    otherPayoutsFen: state.paidFen - state.lentFen,
  };
}
