import type { IneligibleReason } from '../../domain/loans/commands';
import { IneligibleHouseholdsError, InsufficientPoolCashError } from '../../domain/loans/scheme';
import { problem, ProblemError } from '../http/problem';

/** What each refusal means to the county official who proposed the batch. */
const REASON: Record<IneligibleReason, (s: { writeOffBarYears: number }) => string> = {
  not_enrolled: () => 'the household is not enrolled',
  village_not_eligible: () => "the household's village is not eligible for this scheme",
  active_loan: () => 'the household already has a loan of this scheme that is not closed, or is in a batch under way',
  recent_write_off: (s) => `a loan of this scheme was written off for this household within the last ${s.writeOffBarYears} year(s)`,
  duplicate_in_batch: () => 'the household is listed more than once',
};

/**
 * The scheme's refusal of a batch as problem+json: each ineligible household named by its
 * place in the request (body.householdIds[i]) with its reasons; a batch larger than the
 * pool's cash with what is available, what is needed and how many households it can take.
 */
export function batchRefusal(e: unknown, householdIds: string[], scheme: { writeOffBarYears: number }): ProblemError | undefined {
  if (e instanceof IneligibleHouseholdsError) {
    const errors = e.refusals.flatMap(({ householdId, reasons }) =>
      householdIds.flatMap((id, i) => {
        if (id !== householdId) return [];
        const first = householdIds.indexOf(id) === i;
        const here = reasons.filter((r) => (r === 'duplicate_in_batch' ? !first : first));
        return here.length ? [{ path: `body.householdIds[${i}]`, message: `${id}: ${here.map((r) => REASON[r](scheme)).join('; ')}` }] : [];
      }),
    );
    return problem(422, 'households-not-eligible', `${e.refusals.length} household(s) may not be in this batch; each is named in errors`, errors);
  }
  if (e instanceof InsufficientPoolCashError) {
    const p = problem(
      422,
      'pool-cash-insufficient',
      `the pool holds ${e.availableFen} fen of cash not claimed by batches under way; this batch needs ${e.neededFen} fen: at most ${e.maxHouseholds} household(s)`,
      [{ path: 'body.householdIds', message: `at most ${e.maxHouseholds} household(s) for the cash the pool holds` }],
    );
    return new ProblemError({ ...p.problem, availableFen: e.availableFen, neededFen: e.neededFen, maxHouseholds: e.maxHouseholds });
  }
  return undefined;
}

/** Households not in the registry, named by their place in the request. */
export function unknownHouseholds(householdIds: string[], known: Set<string>): ProblemError | undefined {
  const errors = householdIds.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `body.householdIds[${i}]`, message: `${id}: no registered household has this id` }],
  );
  return errors.length
    ? problem(422, 'households-not-eligible', `${errors.length} household(s) are not registered; each is named in errors`, errors)
    : undefined;
}
