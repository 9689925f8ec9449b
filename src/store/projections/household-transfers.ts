import type { Pool, PoolClient } from 'pg';
import type { Member } from '../../domain/household';
import type { HouseholdEvent } from '../../domain/member-transfer';
import { assertNever } from '../../domain/errors';
import { STREAM_ID, STREAM_TYPE } from '../../domain/streams';
import { moveMember } from '../household-members';
import { projectorOf } from '../projector';

/**
 * A transfer's two events, in the transaction that records them: the household left no longer
 * lists the person, the household joined lists them, and the registry of members says where
 * they belong now (so the next application naming them is refused in the right place).
 */
export const householdTransferProjector = projectorOf([STREAM_TYPE.household], async (tx, events) => {
  for (const stored of events) {
    const e = { type: stored.type, data: stored.data } as unknown as HouseholdEvent;
    const householdId = stored.streamId.slice(STREAM_ID.household('').length);
    switch (e.type) {
      case 'MemberTransferredOut':
        await registryWithout(tx, householdId, e.data.idHash, stored.recordedAt);
        break;
      case 'MemberTransferredIn': {
        const caseId = await registryWith(tx, householdId, e.data.member, stored.recordedAt);
        await moveMember(tx, e.data.idHash, { householdId, caseId: caseId ?? e.data.transferId });
        break;
      }
      default:
        assertNever(e);
    }
  }
});

/** The registry row of a household a person left: without them. */
export async function registryWithout(tx: PoolClient, householdId: string, idHash: string, at: Date | string): Promise<void> {
  await tx.query(
    `UPDATE households SET
       members = COALESCE((SELECT jsonb_agg(m) FROM jsonb_array_elements(members) m WHERE m->>'idHash' <> $2), '[]'::jsonb),
       member_id_hashes = array_remove(member_id_hashes, $2), updated_at = $3
     WHERE household_id = $1`,
    [householdId, idHash, at],
  );
}

/** The registry row of a household a person joined: listing them once; its current case's id. */
export async function registryWith(tx: PoolClient, householdId: string, member: Member, at: Date | string): Promise<string | undefined> {
  const r = await tx.query<{ current_case_id: string }>(
    `UPDATE households SET
       members = COALESCE((SELECT jsonb_agg(m) FROM jsonb_array_elements(members) m WHERE m->>'idHash' <> $3), '[]'::jsonb) || jsonb_build_array($2::jsonb),
       member_id_hashes = array_append(array_remove(member_id_hashes, $3), $3), updated_at = $4
     WHERE household_id = $1 RETURNING current_case_id`,
    [householdId, JSON.stringify(member), member.idHash, at],
  );
  return r.rows[0]?.current_case_id;
}

type TransferredIn = Extract<HouseholdEvent, { type: 'MemberTransferredIn' }>['data'];

/** The joining half of a transfer already recorded under this transfer id, if any (a retry finds its own). */
export async function recordedTransferIn(pool: Pool, toHouseholdId: string, transferId: string): Promise<TransferredIn | undefined> {
  const joined = await pool.query<{ data: TransferredIn }>('SELECT data FROM events WHERE stream_id = $1 AND idempotency_key = $2', [
    STREAM_ID.household(toHouseholdId),
    `${transferId}:in`,
  ]);
  return joined.rows[0]?.data;
}
