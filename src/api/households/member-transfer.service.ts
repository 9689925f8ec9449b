import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { idFromKey } from '../../crypto/ids';
import { decideTransfer, householdDecider, type HouseholdEvent } from '../../domain/member-transfer';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { handle } from '../../store/handle';
import { hashIdNumber } from '../../store/household-intake';
import { lockMember } from '../../store/household-members';
import { findHousehold } from '../../store/projections/households-queries';
import { withTransaction } from '../../store/transaction';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type { MemberTransferBody } from '../contract/household-schemas';
import { notFound, problem } from '../http/problem';
import { CONFIG, EVENT_STORE, PG_POOL } from '../tokens';

/** Moving a member between households: decided on the rows it reads, recorded on both streams, in one transaction. */
@Injectable()
export class MemberTransferService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async transfer(user: AuthUser, fromHouseholdId: string, body: z.infer<typeof MemberTransferBody>, idempotencyKey?: string) {
    const transferId = `transfer-${idempotencyKey ? idFromKey(user.userId, `transfer:${idempotencyKey}`) : randomUUID()}`;
    const idHash = hashIdNumber(body.idNumber, this.config.idHashKey);
    return withTransaction(this.pool, async (tx) => {
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
      return {
        transferId,
        fromHouseholdId,
        toHouseholdId: body.toHouseholdId,
        member: { idMasked: into.data.member.idMasked, relation: into.data.member.relation },
      };
    });
  }
}
