/**
 * Moving a person between households (a marriage, a household divided): a correction recorded
 * on both households' streams, with who did it and why, never a way round "one person, one
 * household". The person leaves one applying or enrolled household and joins another; the head
 * stays (a household whose head leaves ends by exit, and the head may then join another).
 */
import type { StreamDecider } from './decider';
import { DomainError } from './errors';
import type { Member } from './household';
import type { HouseholdStanding } from './household-membership';
import { contains } from './jurisdiction';
import type { Actor, Role } from './roles';
import { STREAM_TYPE } from './streams';

/** What both sides of a transfer record: the person by keyed hash and masked number only. */
interface TransferFields {
  transferId: string;
  idHash: string;
  idMasked: string;
  reason: string;
  by: string;
}

export type HouseholdEvent =
  | { type: 'MemberTransferredOut'; data: TransferFields & { toHouseholdId: string } }
  /** The member as the joined household keeps them, with their relation to its head. */
  | { type: 'MemberTransferredIn'; data: TransferFields & { fromHouseholdId: string; member: Member } };

/** A household as a transfer sees it (the registry's row). */
export interface TransferSide {
  householdId: string;
  village: string;
  standing: HouseholdStanding;
}

export interface TransferMember {
  transferId: string;
  /** The household the person is in now (the registry of members says so), undefined if none. */
  heldBy: string | undefined;
  /** The person as the household left lists them; undefined if it does not. */
  member: Member | undefined;
  /** Their relation to the head of the household joined. */
  relation: string;
  reason: string;
  from: TransferSide;
  to: TransferSide;
  actor: Actor;
}

const OPEN: readonly HouseholdStanding[] = ['applying', 'enrolled'];
const MAY_TRANSFER: readonly Role[] = ['village_official', 'town_official'];

/** The two events of a transfer, the first for the household left and the second for the one joined; or why it cannot be. */
export function decideTransfer(
  c: TransferMember,
): [Extract<HouseholdEvent, { type: 'MemberTransferredOut' }>, Extract<HouseholdEvent, { type: 'MemberTransferredIn' }>] {
  if (!MAY_TRANSFER.includes(c.actor.role))
    throw new DomainError('forbidden', '只有村、乡镇干部可以办理成员迁移 (only village and town officials move members between households)');
  if (!contains(c.actor.jurisdiction, c.from.village) || !contains(c.actor.jurisdiction, c.to.village))
    throw new DomainError('forbidden', '两户都须在您的辖区内 (both households must be within your jurisdiction)');
  if (c.from.householdId === c.to.householdId) throw new DomainError('invalid', '迁出户与迁入户相同 (the person would move to the household they are in)');
  if (!c.member || c.heldBy !== c.from.householdId) throw new DomainError('invalid', '此人不是该户成员 (the person is not a member of this household)');
  if (c.member.relation === 'head')
    throw new DomainError('invalid', '户主不能迁出；户主离开须办理退出 (the head cannot be moved; a household whose head leaves ends by exit)');
  if (!OPEN.includes(c.to.standing))
    throw new DomainError('conflict', `迁入户已${c.to.standing === 'rejected' ? '被拒绝' : '退出'}，不能迁入 (the household to join is ${c.to.standing})`);
  const common = { transferId: c.transferId, idHash: c.member.idHash, idMasked: c.member.idMasked, reason: c.reason, by: c.actor.userId };
  return [
    { type: 'MemberTransferredOut', data: { ...common, toHouseholdId: c.to.householdId } },
    { type: 'MemberTransferredIn', data: { ...common, fromHouseholdId: c.from.householdId, member: { ...c.member, relation: c.relation } } },
  ];
}

/** A household stream records the transfers decided above (decideTransfer holds the rules); its state is not folded. */
export type HouseholdCommand = { type: 'Record'; event: HouseholdEvent };

export const householdDecider: StreamDecider<null, HouseholdCommand, HouseholdEvent> = {
  streamType: STREAM_TYPE.household,
  decide: (c) => [{ ...c.event, data: { ...c.event.data } } as HouseholdEvent],
  evolve: (state) => state,
  initialState: () => null,
};
