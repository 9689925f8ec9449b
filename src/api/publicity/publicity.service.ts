import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { locationOf } from '../../domain/jurisdiction';
import { casesWithin } from '../../store/projections/cases-queries';
import { jurisdictionNames } from '../../store/projections/console-queries';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type { PublicityQuery } from '../contract/console-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { PG_POOL } from '../tokens';

/**
 * A village's publicity notice, as posted on its notice board: the households now in one
 * publicity period with their members' names and masked ID numbers. Nothing else of the
 * household (income, health, bank) is on it.
 */
@Injectable()
export class PublicityService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async notice(user: AuthUser, village: string, q: z.infer<typeof PublicityQuery>) {
    assertInJurisdiction(user, village);
    const place = locationOf(village);
    const [rows, names] = await Promise.all([
      casesWithin(this.pool, {
        jurisdiction: village,
        village,
        stage: q.stage,
        status: 'open',
        after: q.cursor ? decodeCursor(q.cursor) : null,
        limit: q.limit + 1,
      }),
      jurisdictionNames(this.pool, [place.county, place.town, place.village]),
    ]);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const named = (code: string) => ({ code, name: names.get(code) ?? null });
    return {
      village: named(place.village),
      town: named(place.town),
      county: named(place.county),
      stage: q.stage,
      asOf: new Date().toISOString(),
      items: page.map(({ state: s }) => ({
        caseId: s.caseId,
        members: s.household.members.map(({ name, relation, idMasked }) => ({ name, relation, idMasked })),
        startedAt: s.stageEnteredAt,
        endsAt: s.stageDueAt ?? null,
        ended: s.publicityEnded,
        openObjections: s.objections.filter((o) => o.status === 'open' && o.stage === q.stage).length,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.opened_at.toISOString(), last.case_id) : null,
    };
  }
}
