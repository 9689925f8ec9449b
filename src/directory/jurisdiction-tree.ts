/** The jurisdiction tree (county → towns → villages) as stored (migration 002): reads and the administrators' edits. */
import type { Pool } from 'pg';
import type { Level } from '../domain/jurisdiction';

type Db = Pick<Pool, 'query'>;

export interface JurisdictionRow {
  code: string;
  name: string;
  level: Level;
  parent_code: string | null;
  /** Registered population (issue #13: poverty incidence); null until recorded. */
  population: number | null;
}

const COLUMNS = 'code, name, level, parent_code, population';

/** `scope` and everything under it, by code (digits only: safe as a LIKE prefix). */
export async function jurisdictionsWithin(db: Db, scope: string): Promise<JurisdictionRow[]> {
  return (await db.query<JurisdictionRow>(`SELECT ${COLUMNS} FROM jurisdictions WHERE code LIKE $1 || '%' ORDER BY code`, [scope])).rows;
}

export async function findJurisdiction(db: Db, code: string): Promise<JurisdictionRow | undefined> {
  return (await db.query<JurisdictionRow>(`SELECT ${COLUMNS} FROM jurisdictions WHERE code = $1`, [code])).rows[0];
}

/** Inserts a jurisdiction; undefined when the code is taken. */
export async function insertJurisdiction(
  db: Db,
  j: { code: string; name: string; level: Level; parentCode: string | null },
): Promise<JurisdictionRow | undefined> {
  return (
    await db.query<JurisdictionRow>(
      `INSERT INTO jurisdictions (code, name, level, parent_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
      [j.code, j.name, j.level, j.parentCode],
    )
  ).rows[0];
}

/** Renames a jurisdiction and/or records its population; what is left out stays as it was. */
export async function updateJurisdiction(db: Db, code: string, c: { name?: string; population?: number }): Promise<JurisdictionRow | undefined> {
  return (
    await db.query<JurisdictionRow>(
      `UPDATE jurisdictions SET name = coalesce($2, name), population = coalesce($3, population) WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, c.name ?? null, c.population ?? null],
    )
  ).rows[0];
}

/** The only county, if the database holds exactly one (the first administrator's default). */
export async function soleCounty(db: Db): Promise<string | undefined> {
  const rows = (await db.query<{ code: string }>("SELECT code FROM jurisdictions WHERE level = 'county' ORDER BY code LIMIT 2")).rows;
  return rows.length === 1 ? rows[0].code : undefined;
}
