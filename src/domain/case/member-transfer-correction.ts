import { DomainError } from '../errors';
import type { Member } from '../household';
import { contains } from '../jurisdiction';
import type { CaseCommand, CaseEvent, CaseState } from './types';

type RecordTransfer = Extract<CaseCommand, { type: 'RecordMemberTransfer' }>;

const MAY_TRANSFER = ['village_official', 'town_official'];

const idHashes = (members: readonly Member[]) => new Set(members.map((m) => m.idHash));

/** The people one list has that the other has not. */
function missingFrom(members: readonly Member[], other: readonly Member[]): Member[] {
  const there = idHashes(other);
  return members.filter((m) => !there.has(m.idHash));
}

/**
 * A member transfer (decided on the registry, recorded on both households' streams) brought
 * into an open case, so its household, the hash that decisions pin and the registry row it
 * writes agree: the case's household gains or loses exactly that one person, nothing else.
 * Recorded at any stage; the same transfer twice records nothing more.
 */
export function recordMemberTransfer(c: RecordTransfer, state: CaseState): CaseEvent[] {
  if (!MAY_TRANSFER.includes(c.actor.role) || !contains(c.actor.jurisdiction, state.location.village))
    throw new DomainError('forbidden', '只有本辖区的村、乡镇干部可以办理成员迁移 (only village and town officials of this household move its members)');
  const moved = [...missingFrom(c.household.members, state.household.members), ...missingFrom(state.household.members, c.household.members)];
  const repeated = c.household.members.length !== idHashes(c.household.members).size;
  if (!repeated && moved.length === 0) return [];
  if (repeated || moved.length !== 1 || moved[0].idHash !== c.idHash)
    throw new DomainError('invalid', '迁移只能增减被迁移的这一人 (a transfer adds or removes only the person moved)');
  return [{ type: 'HouseholdCorrected', data: { household: c.household, householdHash: c.householdHash, reason: c.reason, transferId: c.transferId } }];
}

/**
 * A correction of the household keeps its people: who belongs to which household is held by
 * the registry of members, and only a transfer (which moves the person there too) changes it.
 */
export function assertSameMembers(corrected: readonly Member[], state: CaseState): void {
  const before = idHashes(state.household.members);
  const after = idHashes(corrected);
  if (corrected.length !== after.size || after.size !== before.size || [...after].some((h) => !before.has(h)))
    throw new DomainError('invalid', '更正不能增减成员；成员变动须办理成员迁移 (a correction cannot add or remove members: move them by a member transfer)');
}
