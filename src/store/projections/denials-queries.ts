import type { Queryable } from '../db';

export interface DenialRow {
  event_id: string;
  at: Date;
  stream_id: string;
  version: number;
  user_id: string;
  role: string;
  jurisdiction: string;
  method: string;
  path: string;
  reason: string;
}

export interface DenialFilter {
  /** Denials of users within this jurisdiction (digits only: safe as a LIKE prefix). */
  jurisdiction: string;
  userId?: string;
  from: Date | null;
  until: Date | null;
  /** Keyset cursor: (at, event_id) of the last denial of the page before; the id a UUID. */
  after: [string, string] | null;
  limit: number;
}

/** Recorded 403s (projection: denials.ts) by the filter, oldest first. */
export async function denialsWithin(db: Queryable, f: DenialFilter): Promise<DenialRow[]> {
  const [afterAt, afterId] = f.after ?? [null, null];
  return (
    await db.query<DenialRow>(
      `SELECT event_id, at, stream_id, version, user_id, role, jurisdiction, method, path, reason FROM access_denials
     WHERE jurisdiction LIKE $1 || '%' AND ($2::text IS NULL OR user_id = $2)
       AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
       AND ($5::timestamptz IS NULL OR (at, event_id) > ($5, $6::uuid))
     ORDER BY at, event_id LIMIT $7`,
      [f.jurisdiction, f.userId ?? null, f.from, f.until, afterAt, afterId, f.limit],
    )
  ).rows;
}
