import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { ReferenceSource } from '../domain/comparison/sources';
import type { ComparisonHit } from '../domain/case';
import type { Queryable } from './db';
import { withTransaction } from './transaction';

/** A reference list as stored (migration 028): its entries are keyed ID hashes only. */
export interface ReferenceListRow {
  list_id: string;
  county: string;
  source: ReferenceSource;
  list_date: string;
  format: 'csv' | 'xlsx' | 'json';
  entries: number;
  imported_by: string;
  imported_at: Date;
  cases_compared: number | null;
  hits: number | null;
  compared_at: Date | null;
}

const COLUMNS = `list_id, county, source, to_char(list_date, 'YYYY-MM-DD') AS list_date, format, entries, imported_by, imported_at, cases_compared, hits, compared_at`;

export interface NewReferenceList {
  listId: string;
  county: string;
  source: ReferenceSource;
  listDate: string;
  format: 'csv' | 'xlsx' | 'json';
  contentHash: string;
  importedBy: string;
  entries: { idHash: string; line: number }[];
}

/** Stores a list and all its entries at once, or nothing; a list id already stored is left as it is. */
export async function insertReferenceList(pool: Pool, l: NewReferenceList): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const r = await tx.query(
      `INSERT INTO reference_lists (list_id, county, source, list_date, format, content_hash, entries, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (list_id) DO NOTHING`,
      [l.listId, l.county, l.source, l.listDate, l.format, l.contentHash, l.entries.length, l.importedBy],
    );
    if (r.rowCount === 0) return;
    await tx.query(
      `INSERT INTO reference_list_entries (list_id, id_hash, line)
       SELECT $1, h, n FROM unnest($2::text[], $3::int[]) AS t(h, n)`,
      [l.listId, l.entries.map((e) => e.idHash), l.entries.map((e) => e.line)],
    );
  });
}

export async function findReferenceList(db: Queryable, listId: string): Promise<ReferenceListRow | undefined> {
  return (await db.query<ReferenceListRow>(`SELECT ${COLUMNS} FROM reference_lists WHERE list_id = $1`, [listId])).rows[0];
}

/** A county's lists, newest first. */
export async function referenceListsOf(db: Queryable, county: string, limit: number): Promise<ReferenceListRow[]> {
  return (
    await db.query<ReferenceListRow>(`SELECT ${COLUMNS} FROM reference_lists WHERE county = $1 ORDER BY imported_at DESC, list_id LIMIT $2`, [county, limit])
  ).rows;
}

/** One query per case, list and member, whichever comparison finds the hit first. */
export function comparisonQueryId(caseId: string, listId: string, memberIdHash: string): string {
  return `q-${createHash('sha256').update(`${caseId}\n${listId}\n${memberIdHash}`).digest('hex').slice(0, 32)}`;
}

interface HitRow {
  case_id: string;
  id_hash: string;
  list_id: string;
  source: ReferenceSource;
  list_date: string;
}
const toHit = (r: HitRow): ComparisonHit => ({
  queryId: comparisonQueryId(r.case_id, r.list_id, r.id_hash),
  source: r.source,
  listId: r.list_id,
  listDate: r.list_date,
  memberIdHash: r.id_hash,
});

/**
 * The open entry cases of the list's county with a member on the list, by keyed ID hash: the
 * households holding any of the list's hashes are found in one scan of the members index
 * (migration 004: GIN on member_id_hashes, `&&`), then each household's current case. Also
 * how many open entry cases the county has (what was compared).
 */
export async function hitsOfList(db: Queryable, listId: string): Promise<{ casesCompared: number; cases: { caseId: string; hits: ComparisonHit[] }[] }> {
  const rows = (
    await db.query<HitRow>(
      `WITH listed AS (SELECT id_hash, line FROM reference_list_entries WHERE list_id = $1),
            member AS (
              SELECT h.current_case_id AS case_id, m.id_hash
              FROM households h CROSS JOIN LATERAL unnest(h.member_id_hashes) AS m(id_hash)
              WHERE h.member_id_hashes && ARRAY(SELECT id_hash FROM listed))
       SELECT c.case_id, e.id_hash, l.list_id, l.source, to_char(l.list_date, 'YYYY-MM-DD') AS list_date
       FROM member
       JOIN listed e ON e.id_hash = member.id_hash
       JOIN reference_lists l ON l.list_id = $1
       JOIN cases c ON c.case_id = member.case_id AND c.status = 'open' AND c.county = l.county
       WHERE c.state->>'procedure' = 'entry'
       ORDER BY c.case_id, e.line`,
      [listId],
    )
  ).rows;
  const compared = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM cases c JOIN reference_lists l ON c.county = l.county
     WHERE l.list_id = $1 AND c.status = 'open' AND c.state->>'procedure' = 'entry'`,
    [listId],
  );
  const byCase = new Map<string, ComparisonHit[]>();
  for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), toHit(r)]);
  return { casesCompared: compared.rows[0]?.n ?? 0, cases: [...byCase].map(([caseId, hits]) => ({ caseId, hits })) };
}

/** Every list of the case's county that holds one of its members. */
export async function hitsOfCase(db: Queryable, c: { caseId: string; county: string; memberIdHashes: string[] }): Promise<ComparisonHit[]> {
  const rows = (
    await db.query<HitRow>(
      `SELECT $1::text AS case_id, e.id_hash, l.list_id, l.source, to_char(l.list_date, 'YYYY-MM-DD') AS list_date
       FROM reference_list_entries e JOIN reference_lists l ON l.list_id = e.list_id
       WHERE e.id_hash = ANY($3::text[]) AND l.county = $2
       ORDER BY l.imported_at, l.list_id, e.line`,
      [c.caseId, c.county, c.memberIdHashes],
    )
  ).rows;
  return rows.map(toHit);
}

export async function markListCompared(db: Queryable, listId: string, casesCompared: number, hits: number): Promise<void> {
  await db.query('UPDATE reference_lists SET cases_compared = $2, hits = $3, compared_at = now() WHERE list_id = $1', [listId, casesCompared, hits]);
}
