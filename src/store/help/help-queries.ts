/**
 * Reads of helpers, pairings and visits (migration 023). Households carry only a village code,
 * so a town's or county's households are a range of village codes (codes are digits: the range
 * holds exactly the villages under the prefix, and the village indexes serve it).
 */
import type { HelperRank } from '../../domain/help/helpers';
import type { Role } from '../../domain/roles';
import type { Queryable } from '../db';
import { scopeColumn } from '../scope';

const villageRange = (scope: string) => [scope, `${scope}${'9'.repeat(12 - scope.length)}`];

export async function householdForPairing(db: Queryable, householdId: string) {
  return (
    await db.query<{ village: string; status: string; member_id_hashes: string[] }>(
      'SELECT village, status, member_id_hashes FROM households WHERE household_id = $1',
      [householdId],
    )
  ).rows[0];
}

export interface HelperAccount {
  user_id: string;
  role: Role;
  user_jurisdiction: string;
  active: boolean;
  id_hash: string | null;
  rank: HelperRank | null;
  unit: string | null;
  jurisdiction: string | null;
  related_id_hashes: string[] | null;
  helper_active: boolean | null;
}

/** A user and, if registered, its helper profile. */
export async function helperAccount(db: Queryable, userId: string): Promise<HelperAccount | undefined> {
  return (
    await db.query<HelperAccount>(
      `SELECT u.user_id, u.role, u.jurisdiction AS user_jurisdiction, u.active, u.id_hash, h.rank, h.unit, h.jurisdiction,
              h.related_id_hashes, h.active AS helper_active
         FROM users u LEFT JOIN helpers h USING (user_id) WHERE u.user_id = $1`,
      [userId],
    )
  ).rows[0];
}

export interface PairingRow {
  pairing_id: string;
  household_id: string;
  helper_id: string;
  village: string;
  paired_at: Date;
  last_visit_at: Date | null;
  lost_contact_since: Date | null;
}

export async function pairingById(db: Queryable, pairingId: string) {
  return (
    await db.query<PairingRow & { status: 'active' | 'ended' }>(
      `SELECT pairing_id, household_id, helper_id, village, paired_at, last_visit_at, lost_contact_since, status FROM pairings WHERE pairing_id = $1`,
      [pairingId],
    )
  ).rows[0];
}

export async function activePairingOf(db: Queryable, householdId: string): Promise<PairingRow | undefined> {
  return (
    await db.query<PairingRow>(
      `SELECT pairing_id, household_id, helper_id, village, paired_at, last_visit_at, lost_contact_since
         FROM pairings WHERE household_id = $1 AND status = 'active'`,
      [householdId],
    )
  ).rows[0];
}

export interface HelperSummaryRow {
  user_id: string;
  rank: HelperRank;
  unit: string;
  jurisdiction: string;
  households: number;
  /** Households paired two years or more before `now` that are still enrolled (not lifted out). */
  not_lifted_after_two_years: number;
}

/**
 * Active helpers registered within `scope` or above it (a county's cadres help in its towns), by user id after `after`, with their active pairings
 * and the helper assessment's count (DOMAIN.md: help ineffective for two years).
 */
export async function helpersWithin(
  db: Queryable,
  q: { scope: string; now: Date; after: string | null; limit: number; belowQuotaOnly?: boolean; only?: string },
) {
  return (
    await db.query<HelperSummaryRow>(
      `SELECT h.user_id, h.rank, h.unit, h.jurisdiction,
              count(p.pairing_id)::int AS households,
              count(p.pairing_id) FILTER (WHERE p.paired_at <= $2::timestamptz - interval '2 years' AND hh.status = 'enrolled')::int AS not_lifted_after_two_years
         FROM helpers h
         LEFT JOIN pairings p ON p.helper_id = h.user_id AND p.status = 'active'
         LEFT JOIN households hh ON hh.household_id = p.household_id
        WHERE h.active AND ((h.jurisdiction >= $1 AND h.jurisdiction <= $5) OR left($1, length(h.jurisdiction)) = h.jurisdiction) AND ($3::text IS NULL OR h.user_id > $3) AND ($7::text IS NULL OR h.user_id = $7)
        GROUP BY h.user_id
       HAVING NOT $6::boolean OR count(p.pairing_id) < CASE h.rank WHEN 'county_leader' THEN 5 WHEN 'department_leader' THEN 3 ELSE 2 END
        ORDER BY h.user_id LIMIT $4`,
      [q.scope, q.now, q.after, q.limit, villageRange(q.scope)[1], q.belowQuotaOnly ?? false, q.only ?? null],
    )
  ).rows;
}

/**
 * Active helpers within `scope` (or above it) short of their quota, by user id: their active
 * pairings counted from the pairings' helper index alone (no household is read), so the
 * coverage report stays one pass over the pairings however many helpers there are.
 */
export async function helpersBelowQuota(db: Queryable, q: { scope: string; limit: number }) {
  return (
    await db.query<{ user_id: string; rank: HelperRank; households: number }>(
      `SELECT h.user_id, h.rank, coalesce(c.n, 0)::int AS households
         FROM helpers h
         LEFT JOIN (SELECT helper_id, count(*) AS n FROM pairings WHERE status = 'active' GROUP BY helper_id) c ON c.helper_id = h.user_id
        WHERE h.active AND ((h.jurisdiction >= $1 AND h.jurisdiction <= $2) OR left($1, length(h.jurisdiction)) = h.jurisdiction)
          AND coalesce(c.n, 0) < CASE h.rank WHEN 'county_leader' THEN 5 WHEN 'department_leader' THEN 3 ELSE 2 END
        ORDER BY h.user_id LIMIT $3`,
      [q.scope, villageRange(q.scope)[1], q.limit],
    )
  ).rows;
}

export interface CoverageRow {
  village: string;
  enrolled: number;
  paired: number;
}

/** Enrolled households and those with an active helper, per village within `scope`. */
export async function coverageByVillage(db: Queryable, scope: string): Promise<CoverageRow[]> {
  const [from, to] = villageRange(scope);
  return (
    await db.query<CoverageRow>(
      `SELECT hh.village, count(*)::int AS enrolled, count(p.pairing_id)::int AS paired
         FROM households hh
         LEFT JOIN pairings p ON p.household_id = hh.household_id AND p.status = 'active'
        WHERE hh.status = 'enrolled' AND hh.village >= $1 AND hh.village <= $2
        GROUP BY hh.village ORDER BY hh.village`,
      [from, to],
    )
  ).rows;
}

/** Enrolled households within `scope` that have no helper, by household id after `after`. */
export async function unpairedHouseholds(db: Queryable, q: { scope: string; after: string | null; limit: number }) {
  const [from, to] = villageRange(q.scope);
  return (
    await db.query<{ household_id: string; village: string }>(
      `SELECT hh.household_id, hh.village FROM households hh
        WHERE hh.status = 'enrolled' AND hh.village >= $1 AND hh.village <= $2 AND ($3::text IS NULL OR hh.household_id > $3)
          AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.household_id = hh.household_id AND p.status = 'active')
        ORDER BY hh.household_id LIMIT $4`,
      [from, to, q.after, q.limit],
    )
  ).rows;
}

/**
 * Active pairings within `scope` whose last contact (visit, else the pairing) is older than
 * `before`, least recently contacted first, after the keyset cursor. Whether the town's alert
 * is open already is `lost_contact_since`.
 */
export async function lostContactWithin(db: Queryable, q: { scope: string; before: Date; after: [string, string] | null; limit: number }) {
  const col = scopeColumn(q.scope);
  const [afterAt, afterId] = q.after ?? [null, null];
  return (
    await db.query<PairingRow & { last_contact_at: Date }>(
      `SELECT pairing_id, household_id, helper_id, village, paired_at, last_visit_at, lost_contact_since, coalesce(last_visit_at, paired_at) AS last_contact_at
         FROM pairings
        WHERE status = 'active' AND ${col} = $1 AND coalesce(last_visit_at, paired_at) < $2
          AND ($3::timestamptz IS NULL OR (coalesce(last_visit_at, paired_at), pairing_id) > ($3, $4))
        ORDER BY coalesce(last_visit_at, paired_at), pairing_id LIMIT $5`,
      [q.scope, q.before, afterAt, afterId, q.limit],
    )
  ).rows;
}

/** Which of these funds exist within the county `county` (a plan names only its own county's funds). */
export async function fundsKnown(db: Queryable, fundIds: string[], county: string): Promise<Set<string>> {
  if (fundIds.length === 0) return new Set();
  const rows = (await db.query<{ fund_id: string }>('SELECT fund_id FROM funds WHERE fund_id = ANY($1) AND left(jurisdiction, 6) = $2', [fundIds, county]))
    .rows;
  return new Set(rows.map((r) => r.fund_id));
}

/** A page of enrolled households, by id after `after` (the annual review's run). */
export async function enrolledHouseholdsPage(db: Queryable, after: string | null, limit: number) {
  return (
    await db.query<{ household_id: string; village: string }>(
      `SELECT household_id, village FROM households WHERE status = 'enrolled' AND ($1::text IS NULL OR household_id > $1) ORDER BY household_id LIMIT $2`,
      [after, limit],
    )
  ).rows;
}

export interface ReviewRow {
  review_id: string;
  household_id: string;
  village: string;
  year: number;
  status: 'open' | 'confirmed' | 'exit_proposed';
  opened_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
}

export async function findReview(db: Queryable, reviewId: string): Promise<ReviewRow | undefined> {
  return (await db.query<ReviewRow>('SELECT * FROM reviews WHERE review_id = $1', [reviewId])).rows[0];
}

/** Reviews within `scope` (a range of village codes), by id after `after`. */
export async function reviewsWithin(db: Queryable, q: { scope: string; year?: number; status?: string; after: string | null; limit: number }) {
  const [from, to] = villageRange(q.scope);
  return (
    await db.query<ReviewRow>(
      `SELECT * FROM reviews WHERE village >= $1 AND village <= $2 AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR status = $4)
          AND ($5::text IS NULL OR review_id > $5) ORDER BY review_id LIMIT $6`,
      [from, to, q.year ?? null, q.status ?? null, q.after, q.limit],
    )
  ).rows;
}

/** Issue #13: the pairing's contact watcher runs (started, or joined, by whoever says so). */
export async function markWatcherStarted(db: Queryable, pairingId: string): Promise<void> {
  await db.query('UPDATE pairings SET watcher_started_at = now() WHERE pairing_id = $1 AND watcher_started_at IS NULL', [pairingId]);
}

/** Active pairings whose watcher was never said to have started, recorded before `before` (older first). */
export async function pairingsWithoutWatcher(db: Queryable, q: { before: Date; limit: number }) {
  return (
    await db.query<{ pairing_id: string; household_id: string; paired_at: Date; last_visit_at: Date | null; lost_contact_since: Date | null }>(
      `SELECT pairing_id, household_id, paired_at, last_visit_at, lost_contact_since FROM pairings
       WHERE status = 'active' AND watcher_started_at IS NULL AND paired_at < $1 ORDER BY paired_at LIMIT $2`,
      [q.before, q.limit],
    )
  ).rows;
}
