import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { contains } from '../../domain/jurisdiction';
import type { AuthUser } from '../auth/user';
import type { DenialListView, DenialsQuery } from '../contract/audit-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, problem } from '../http/problem';
import { PG_POOL } from '../tokens';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface DenialRow {
  event_id: string; at: Date; stream_id: string; version: number; user_id: string; role: string;
  jurisdiction: string; method: string; path: string; reason: string;
}

/** Reads the access_denials projection (migration 011), scoped to the caller's jurisdiction. */
@Injectable()
export class DenialsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(user: AuthUser, q: z.infer<typeof DenialsQuery>): Promise<z.infer<typeof DenialListView>> {
    if (q.jurisdiction && !contains(user.jurisdiction, q.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    // Codes are digits only (validated), so they are safe as a LIKE prefix.
    const scope = q.jurisdiction ?? user.jurisdiction;
    const [afterAt, afterId] = q.cursor ? decodeCursor(q.cursor) : [null, null];
    if (afterId !== null && !UUID.test(afterId)) throw problem(400, 'validation', 'cursor is not valid', [{ path: 'query.cursor', message: 'invalid cursor' }]);
    const from = q.from ? new Date(`${q.from}T00:00:00Z`) : null;
    const until = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS) : null;
    const rows = (await this.pool.query<DenialRow>(
      `SELECT event_id, at, stream_id, version, user_id, role, jurisdiction, method, path, reason FROM access_denials
       WHERE jurisdiction LIKE $1 || '%' AND ($2::text IS NULL OR user_id = $2)
         AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
         AND ($5::timestamptz IS NULL OR (at, event_id) > ($5, $6::uuid))
       ORDER BY at, event_id LIMIT $7`,
      [scope, q.user ?? null, from, until, afterAt, afterId, q.limit + 1],
    )).rows;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        denialId: r.event_id, at: r.at.toISOString(), userId: r.user_id, role: r.role, jurisdiction: r.jurisdiction,
        method: r.method, path: r.path, reason: r.reason, streamId: r.stream_id, version: r.version,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.at.toISOString(), last.event_id) : null,
    };
  }
}
