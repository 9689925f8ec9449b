/**
 * A person's step is taken only from someone whose role is held at its own level
 * (domain/role-levels.ts): the API refuses anyone else first, and each workflow checks again.
 * In a handler the check is behind `patched(ACTORS_PLACED)`, so a step taken before the rule by
 * someone it would now refuse replays as it was decided.
 */
import { DomainError } from '../domain/errors';
import { misplacement } from '../domain/role-levels';
import type { Actor } from '../domain/roles';

export const ACTORS_PLACED = 'actors-placed';

export function assertActorPlaced(actor: Pick<Actor, 'role' | 'jurisdiction'>): void {
  const wrong = misplacement(actor.role, actor.jurisdiction);
  if (wrong) throw new DomainError('forbidden', wrong);
}
