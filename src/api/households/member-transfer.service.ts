import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { idFromKey } from '../../crypto/ids';
import type { Member } from '../../domain/household';
import { decideTransfer, householdDecider, type HouseholdEvent } from '../../domain/member-transfer';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { handle } from '../../store/handle';
import { hashIdNumber, householdHash } from '../../store/household-intake';
import { lockMember } from '../../store/household-members';
import { findCase } from '../../store/projections/cases-queries';
import { recordedTransferIn, registryWith, registryWithout } from '../../store/projections/household-transfers';
import { findHousehold } from '../../store/projections/households-queries';
import { withTransaction } from '../../store/transaction';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type { MemberTransferBody } from '../contract/household-schemas';
import { notFound, problem } from '../http/problem';
import { recordMemberTransferUpdate } from '../../workflows/identification-case';
import { CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from '../tokens';

/**
 * Moving a member between households: decided on the rows it reads, recorded on both streams, in
 * one transaction; then brought into either household's open case, so the case's household, the
 * householdHash its decisions pin and the registry row its next step writes all agree.
 */
@Injectable()
export class MemberTransferService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async transfer(user: AuthUser, fromHouseholdId: string, body: z.infer<typeof MemberTransferBody>, idempotencyKey?: string) {
    const transferId = `transfer-${idempotencyKey ? idFromKey(user.userId, `transfer:${idempotencyKey}`) : randomUUID()}`;
    const idHash = hashIdNumber(body.idNumber, this.config.idHashKey);
    const recorded =
      (idempotencyKey ? await this.recordedBefore(user, fromHouseholdId, body.toHouseholdId, transferId) : undefined) ??
      (await withTransaction(this.pool, async (tx) => {
        const from = await findHousehold(tx, fromHouseholdId);
        if (!from) throw notFound('the household');
        assertInJurisdiction(user, from.village);
        const to = await findHousehold(tx, body.toHouseholdId);
        if (!to) throw problem(404, 'not-found', 'the household to join was not found', [{ path: 'body.toHouseholdId', message: 'no such household' }]);
        const [out, into] = decideTransfer({
          transferId,
          heldBy: await lockMember(tx, idHash),
          member: from.members.find((m) => m.idHash === idHash),
          relation: body.relation,
          reason: body.reason,
          from: { householdId: fromHouseholdId, village: from.village, standing: from.status },
          to: { householdId: body.toHouseholdId, village: to.village, standing: to.status },
          actor: user,
        });
        const store = this.store.within(tx);
        const record = (householdId: string, event: HouseholdEvent, side: string) =>
          handle(
            store,
            STREAM_ID.household(householdId),
            householdDecider,
            { type: 'Record', event },
            { appendOnly: true, actor: user.userId, idempotencyKey: () => `${transferId}:${side}` },
          );
        await record(fromHouseholdId, out, 'out');
        await record(body.toHouseholdId, into, 'in');
        return { into, fromCaseId: from.current_case_id, toCaseId: to.current_case_id };
      }));
    const { into } = recorded;
    const transfer = { transferId, idHash, reason: body.reason };
    await this.intoOpenCase(fromHouseholdId, recorded.fromCaseId, user, transfer, undefined);
    await this.intoOpenCase(body.toHouseholdId, recorded.toCaseId, user, transfer, into.data.member);
    return {
      transferId,
      fromHouseholdId,
      toHouseholdId: body.toHouseholdId,
      member: { idMasked: into.data.member.idMasked, relation: into.data.member.relation },
    };
  }

  /**
   * The same transfer asked again (its Idempotency-Key) after its first answer was lost with a
   * server error, which is not kept: recorded already, so it is not decided again (the person is
   * no longer the household's), only brought into the open cases that may still lack it.
   */
  private async recordedBefore(user: AuthUser, fromHouseholdId: string, toHouseholdId: string, transferId: string) {
    const data = await recordedTransferIn(this.pool, toHouseholdId, transferId);
    if (!data || data.fromHouseholdId !== fromHouseholdId) return undefined;
    const [from, to] = [await findHousehold(this.pool, fromHouseholdId), await findHousehold(this.pool, toHouseholdId)];
    if (!from || !to) return undefined;
    assertInJurisdiction(user, from.village);
    assertInJurisdiction(user, to.village);
    return { into: { type: 'MemberTransferredIn' as const, data }, fromCaseId: from.current_case_id, toCaseId: to.current_case_id };
  }

  /**
   * The transfer as the household's open case records it (HouseholdCorrected with the new
   * householdHash); a household with no open case has only its registry row, which the
   * transfer's own projection already corrected. The Update's id is the transfer's, so a
   * retried transfer records it once. A case that ended in between wrote its last registry row
   * from its copy of the household: the transfer is applied to that row again.
   */
  private async intoOpenCase(
    householdId: string,
    caseId: string,
    actor: AuthUser,
    transfer: { transferId: string; idHash: string; reason: string },
    joining: Member | undefined,
  ): Promise<void> {
    const open = async () => {
      const row = await findCase(this.pool, caseId);
      return row?.status === 'open' ? row : undefined;
    };
    const current = await open();
    if (!current) return;
    const stay = current.state.household.members.filter((m) => m.idHash !== transfer.idHash);
    const household = { ...current.state.household, members: joining ? [...stay, joining] : stay };
    try {
      await this.temporal.workflow.getHandle(caseId).executeUpdate(recordMemberTransferUpdate, {
        updateId: `${transfer.transferId}:${caseId}`,
        args: [{ type: 'RecordMemberTransfer', ...transfer, household, householdHash: householdHash(household), actor }],
      });
    } catch (e) {
      if (await open()) throw e;
      await withTransaction(this.pool, async (tx) => {
        if (joining) await registryWith(tx, householdId, joining, new Date());
        else await registryWithout(tx, householdId, transfer.idHash, new Date());
      });
    }
  }
}
