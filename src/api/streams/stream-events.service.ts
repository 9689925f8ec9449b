import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { storedAccountMasked } from '../../crypto/sealed-field';
import { readStreamPage } from '../../store/stream-page';
import type { ChainReport } from '../../store/verify-chain';
import type { ChainView, StreamEventsView, StreamPageQuery } from '../contract/stream-schemas';
import { PG_POOL } from '../tokens';

/**
 * Any stream's events, as one answer for every kind of thing (case, loan, batch, fund,
 * pairing, help plan): a page of events with their hashes and links, and the server's verdict
 * on the whole chain. It reads only after the thing's own access rule has named the stream,
 * so no route can read a stream without deciding first who may.
 */
@Injectable()
export class StreamEventsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** `authorise` applies the thing's access rule (404 unknown, 403 not yours) and answers its stream id. */
  async read(authorise: () => Promise<string>, q: z.infer<typeof StreamPageQuery>): Promise<z.infer<typeof StreamEventsView>> {
    const streamId = await authorise();
    const from = q.cursor ? Number(q.cursor) : 1;
    const { events, chain } = await readStreamPage(this.pool, streamId, from, q.limit);
    const page = events.slice(0, q.limit);
    return {
      streamId,
      events: page.map((e) => ({
        seq: e.version,
        type: e.type,
        at: e.recordedAt,
        actor: e.metadata.actor,
        data: maskBankAccount(e.data),
        hash: e.hash,
        prevHash: e.prevHash,
      })),
      nextCursor: events.length > q.limit ? String(page[page.length - 1].version + 1) : null,
      chain: chainView(chain),
    };
  }
}

function chainView(report: ChainReport): z.infer<typeof ChainView> {
  if (report.ok) return { verified: true, eventsChecked: report.events, brokenAt: null, problem: null };
  return {
    verified: false,
    eventsChecked: report.events,
    brokenAt: report.version,
    problem: `哈希链在第 ${report.version} 个事件处断开，记录可能被篡改 (the hash chain breaks at event ${report.version}: ${report.problem})`,
  };
}

/**
 * Events are shown as stored (so their hashes can be checked) except for a household's bank
 * account number, which readers do not need: it is shown masked (it is stored sealed, or plain
 * in events from before sealing), and the `hash` then covers the stored record, which the
 * server checks (`chain`) and `npm run verify-chain` can check again.
 */
function maskBankAccount(data: Record<string, unknown>): Record<string, unknown> {
  const household = data.household as { bankAccount?: { bank: string; accountNumber: string; accountMasked?: string } } | undefined;
  if (!household?.bankAccount) return data;
  const { accountNumber, accountMasked, ...rest } = household.bankAccount;
  return { ...data, household: { ...household, bankAccount: { ...rest, accountNumber: storedAccountMasked(accountNumber, accountMasked) } } };
}
