import type { PoolClient } from 'pg';
import type { CaseState } from '../../domain/case';
import type { Queryable } from '../db';
import { scopeColumn } from '../scope';

/** A row of the `cases` read model, as the API reads a case. */
export interface CaseRow {
  case_id: string;
  applicant_id: string;
  village: string;
  status: string;
  state: CaseState;
  holder: string | null;
  opened_at: Date;
  updated_at: Date;
}

const CASE_COLUMNS = 'case_id, applicant_id, village, status, state, holder, opened_at, updated_at';

export async function findCase(db: Queryable, caseId: string): Promise<CaseRow | undefined> {
  return (await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE case_id = $1`, [caseId])).rows[0];
}

/**
 * A case as someone about to act on it reads it: with whether they are related to its household
 * (a registered household has them, by ID hash, among its members and shares a member with the
 * case's household), in the same round trip. Never related when `actorIdHash` is undefined.
 */
export async function findCaseForActor(
  db: Queryable,
  caseId: string,
  actorIdHash: string | undefined,
): Promise<(CaseRow & { actor_related: boolean }) | undefined> {
  return (
    await db.query<CaseRow & { actor_related: boolean }>(
      `SELECT ${CASE_COLUMNS}, $2::text IS NOT NULL AND EXISTS (
         SELECT 1 FROM households h
         WHERE h.member_id_hashes @> ARRAY[$2::text]
           AND h.member_id_hashes && ARRAY(SELECT m->>'idHash' FROM jsonb_array_elements(cases.state->'household'->'members') m)
       ) AS actor_related
       FROM cases WHERE case_id = $1`,
      [caseId, actorIdHash ?? null],
    )
  ).rows[0];
}

export interface CaseFilter {
  /** The caller's jurisdiction: only cases within it. */
  jurisdiction: string;
  stage?: string;
  status?: string;
  village?: string;
  town?: string;
  /** Keyset cursor: (opened_at, case_id) of the last case of the page before. */
  after: [string, string] | null;
  limit: number;
}

/** Cases within a jurisdiction by the filters, in the order they were opened. */
export async function casesWithin(db: Queryable, f: CaseFilter): Promise<CaseRow[]> {
  const [afterAt, afterId] = f.after ?? [null, null];
  return (
    await db.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM cases
     WHERE ${scopeColumn(f.jurisdiction)} = $1
       AND ($2::text IS NULL OR stage = $2) AND ($3::text IS NULL OR status = $3)
       AND ($4::text IS NULL OR village = $4) AND ($5::text IS NULL OR town = $5)
       AND ($6::timestamptz IS NULL OR (opened_at, case_id) > ($6, $7))
     ORDER BY opened_at, case_id LIMIT $8`,
      [f.jurisdiction, f.stage ?? null, f.status ?? null, f.village ?? null, f.town ?? null, afterAt, afterId, f.limit],
    )
  ).rows;
}

/** Every case of a household (entry and exit, re-entries), oldest first. */
export async function casesOfHousehold(db: Queryable, householdId: string) {
  return (
    await db.query<{ case_id: string; stage: string; status: string; opened_at: Date; procedure: string }>(
      `SELECT case_id, stage, status, opened_at, state->>'procedure' AS procedure FROM cases WHERE household_id = $1 ORDER BY opened_at`,
      [householdId],
    )
  ).rows;
}

/** The case an objection was lodged against, if there is such an objection. */
export async function caseOfObjection(db: Queryable, objectionId: string): Promise<string | undefined> {
  return (await db.query<{ case_id: string }>('SELECT case_id FROM objections WHERE objection_id = $1', [objectionId])).rows[0]?.case_id;
}

/** Who holds the case (kept equal to who holds its open task). */
export async function setCaseHolder(tx: PoolClient, caseId: string, holder: string | null): Promise<void> {
  await tx.query('UPDATE cases SET holder = $2 WHERE case_id = $1', [caseId, holder]);
}

export interface StalledCaseRow {
  case_id: string;
  stage: string;
  village: string;
  town: string;
  holder: string | null;
  stage_entered_at: Date;
  stage_due_at: Date;
  /** Since when the holder has had the open task (claimed or reassigned); null while nobody holds it. */
  held_since: Date | null;
  escalation_level: 'town' | 'county' | null;
  /** The step's open task, which a supervisor may reassign. */
  task_id: string | null;
}

/**
 * Open cases past their stage's due time within a jurisdiction, most overdue first, after the
 * keyset cursor (stage_due_at, case_id). Served by the cases_open_due_* indexes.
 */
export async function stalledCases(
  db: Queryable,
  q: { jurisdiction: string; now: Date; stage?: string; after: [string, string] | null; limit: number },
): Promise<StalledCaseRow[]> {
  const [afterDue, afterId] = q.after ?? [null, null];
  return (
    await db.query<StalledCaseRow>(
      `SELECT c.case_id, c.stage, c.village, c.town, c.holder, c.stage_entered_at, c.stage_due_at, c.state->'escalation'->>'level' AS escalation_level,
            t.task_id, CASE WHEN t.holder IS NOT NULL THEN t.claimed_at END AS held_since
       FROM cases c
       LEFT JOIN LATERAL (SELECT task_id, holder, claimed_at FROM tasks WHERE subject_kind = 'case' AND subject_id = c.case_id AND status = 'open' LIMIT 1) t ON true
     WHERE c.status = 'open' AND c.stage_due_at < $1 AND c.${scopeColumn(q.jurisdiction)} = $2 AND ($3::text IS NULL OR c.stage = $3)
       AND ($4::timestamptz IS NULL OR (c.stage_due_at, c.case_id) > ($4, $5))
     ORDER BY c.stage_due_at, c.case_id LIMIT $6`,
      [q.now, q.jurisdiction, q.stage ?? null, afterDue, afterId, q.limit],
    )
  ).rows;
}
