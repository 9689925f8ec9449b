import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { contains } from '../../domain/jurisdiction';
import type { AuthUser } from '../auth/user';
import type { DenialListView, DenialsQuery } from '../contract/audit-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, problem } from '../http/problem';
import { denialsWithin } from '../../store/projections/denials-queries';
import { PG_POOL } from '../tokens';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads the access_denials projection (migration 011), scoped to the caller's jurisdiction. */
@Injectable()
export class DenialsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(user: AuthUser, q: z.infer<typeof DenialsQuery>): Promise<z.infer<typeof DenialListView>> {
    if (q.jurisdiction && !contains(user.jurisdiction, q.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    // Codes are digits only (validated), so they are safe as a LIKE prefix.
    const scope = q.jurisdiction ?? user.jurisdiction;
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    if (after && !UUID.test(after[1])) throw problem(400, 'validation', 'cursor is not valid', [{ path: 'query.cursor', message: 'invalid cursor' }]);
    const from = q.from ? new Date(`${q.from}T00:00:00Z`) : null;
    const until = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS) : null;
    const rows = await denialsWithin(this.pool, { jurisdiction: scope, userId: q.user, from, until, after, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        denialId: r.event_id,
        at: r.at.toISOString(),
        userId: r.user_id,
        role: r.role,
        jurisdiction: r.jurisdiction,
        method: r.method,
        path: r.path,
        reason: r.reason,
        streamId: r.stream_id,
        version: r.version,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.at.toISOString(), last.event_id) : null,
    };
  }
}
