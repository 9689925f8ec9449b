import type { Pool } from 'pg';
import type { Queryable } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { openCasesSummary, type OpenCasesSummaryRow } from '../../src/store/projections/open-cases-summary';
import { scopeColumn } from '../../src/store/scope';
import { createTestDatabase, type TestDatabase } from '../support/db';

/** The scan the totals of migration 016 replace, kept here as the oracle. */
async function scanSummary(db: Queryable, q: { jurisdiction: string; now: Date; by: 'town' | 'village' }): Promise<OpenCasesSummaryRow[]> {
  const column = q.by === 'village' ? 'village' : 'town';
  return (
    await db.query<OpenCasesSummaryRow>(
      `SELECT stage, ${column} AS place, count(*)::int AS open,
            count(*) FILTER (WHERE stage_due_at < $1)::int AS overdue,
            extract(epoch FROM avg($1 - stage_entered_at))::float8 AS avg_age,
            extract(epoch FROM max($1 - stage_entered_at))::float8 AS max_age
     FROM cases WHERE status = 'open' AND ${scopeColumn(q.jurisdiction)} = $2
     GROUP BY stage, ${column} ORDER BY ${column}, stage`,
      [q.now, q.jurisdiction],
    )
  ).rows;
}

const DAY = 86_400_000;
const BASE = Date.parse('2026-03-10T00:00:00Z');
const VILLAGES = ['522701101201', '522701101202', '522701102201', '522702101201', '522702101202'];
const JURISDICTIONS = [...new Set(VILLAGES.flatMap((v) => [v.slice(0, 6), v.slice(0, 9), v]))];
const STAGES = ['village_evaluation', 'village_publicity', 'town_audit', 'town_publicity', 'county_approval', 'exit_verification'];
const CLOSED = ['enrolled', 'rejected', 'exited'];

/** Deterministic, so a failure replays (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random mix of case writes of every kind that touches the totals, as plain SQL (any writer). */
function caseWriter(pool: Pool, seed: number) {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  // Times on ms, on whole days (UTC midnight) and on whole hours, within ±20 days of BASE.
  const time = () => {
    const r = rnd();
    const day = BASE + Math.floor(rnd() * 40 - 20) * DAY;
    return new Date(r < 0.2 ? day : r < 0.4 ? day + Math.floor(rnd() * 24) * 3_600_000 : day + Math.floor(rnd() * DAY));
  };
  const due = (entered: Date) =>
    rnd() < 0.15 ? null : new Date(entered.getTime() + pick([0, 1, 2, 7, 15]) * DAY + (rnd() < 0.5 ? 0 : Math.floor(rnd() * DAY)));
  const ids: string[] = [];
  let next = 0;

  const row = (id: string) => {
    const village = pick(VILLAGES);
    const entered = time();
    return [id, village.slice(0, 6), village.slice(0, 9), village, pick(STAGES), rnd() < 0.85 ? 'open' : pick(CLOSED), entered, due(entered)];
  };
  const INSERT = `INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state, household_hash,
                                     opened_at, stage_entered_at, stage_due_at, version, updated_at)`;

  /** One case, or (a bulk writer) three in one statement. */
  async function insert(): Promise<void> {
    const n = rnd() < 0.2 ? 3 : 1;
    const fresh = Array.from({ length: n }, () => `case-${seed}-${next++}`);
    ids.push(...fresh);
    const values = fresh.map(
      (_, i) => `($${8 * i + 1}, $${8 * i + 1}, $${8 * i + 1}, $${8 * i + 2}, $${8 * i + 3}, $${8 * i + 4}, $${8 * i + 5}, $${8 * i + 6},
                                         '{}', '{}', 'h', $${8 * i + 7}, $${8 * i + 7}, $${8 * i + 8}, 1, $${8 * i + 7})`,
    );
    await pool.query(`${INSERT} VALUES ${values.join(', ')}`, fresh.flatMap(row));
  }

  /** As the projector writes a case: INSERT … ON CONFLICT DO UPDATE, of a known case or a new one. */
  async function upsert(id: string): Promise<void> {
    if (!ids.includes(id)) ids.push(id);
    await pool.query(
      `${INSERT} VALUES ($1, $1, $1, $2, $3, $4, $5, $6, '{}', '{}', 'h', $7, $7, $8, 1, $7)
       ON CONFLICT (case_id) DO UPDATE SET stage = EXCLUDED.stage, status = EXCLUDED.status, state = EXCLUDED.state,
         stage_entered_at = EXCLUDED.stage_entered_at, stage_due_at = EXCLUDED.stage_due_at, version = cases.version + 1`,
      row(id),
    );
  }

  async function change(): Promise<void> {
    if (ids.length === 0) return insert();
    const id = pick(ids);
    const r = rnd();
    const entered = time();
    if (r < 0.3) {
      await pool.query('UPDATE cases SET stage = $2, stage_entered_at = $3, stage_due_at = $4 WHERE case_id = $1', [id, pick(STAGES), entered, due(entered)]);
    } else if (r < 0.45) {
      await pool.query('UPDATE cases SET status = $2 WHERE case_id = $1', [id, rnd() < 0.3 ? 'open' : pick(CLOSED)]);
    } else if (r < 0.6) {
      await pool.query('UPDATE cases SET stage_due_at = $2 WHERE case_id = $1', [id, due(entered)]);
    } else if (r < 0.7) {
      // Writes that move nothing the totals hold (the projector's holder update, its upsert of the same stage).
      await pool.query('UPDATE cases SET holder = $2, state = $3 WHERE case_id = $1', [id, `u${next}`, { n: next }]);
    } else if (r < 0.8) {
      await pool.query('UPDATE cases SET stage_entered_at = $2 WHERE case_id = $1', [id, entered]);
    } else if (r < 0.85) {
      await pool.query('DELETE FROM cases WHERE case_id = $1', [id]);
      ids.splice(ids.indexOf(id), 1);
    } else if (r < 0.9) {
      // One statement over many rows (a bulk fix by hand).
      await pool.query(`UPDATE cases SET stage = $1, stage_entered_at = stage_entered_at + interval '1 hour' WHERE village = $2 AND stage = $3`, [
        pick(STAGES),
        pick(VILLAGES),
        pick(STAGES),
      ]);
    } else if (r < 0.95) {
      await upsert(rnd() < 0.8 ? id : `case-${seed}-${next++}`);
    } else {
      await insert();
    }
  }
  return { insert, change };
}

/** Instants that matter: before and after everything, UTC midnights and a millisecond either side, every due time. */
async function nows(pool: Pool): Promise<Date[]> {
  const at = new Set<number>([BASE - 60 * DAY, BASE + 60 * DAY, BASE + 12_345_678]);
  for (let d = -22; d <= 40; d += 5) for (const e of [-1, 0, 1]) at.add(BASE + d * DAY + e);
  const dues = (await pool.query<{ due: Date }>("SELECT DISTINCT stage_due_at AS due FROM cases WHERE status = 'open' AND stage_due_at IS NOT NULL")).rows;
  for (const { due } of dues.slice(0, 8)) for (const e of [-1, 0, 1]) at.add(due.getTime() + e);
  return [...at].map((t) => new Date(t));
}

const days = (s: number) => Math.round((s / 86_400) * 10) / 10; // as the API rounds

/** The totals answer as the scan does: counts, overdue and the oldest exactly; the mean to the microsecond. */
async function expectSameAsScan(pool: Pool): Promise<number> {
  let compared = 0;
  for (const now of await nows(pool)) {
    for (const jurisdiction of JURISDICTIONS) {
      for (const by of ['town', 'village'] as const) {
        const q = { jurisdiction, now, by };
        const [fast, scan] = await Promise.all([openCasesSummary(pool, q), scanSummary(pool, q)]);
        const label = `${jurisdiction} by ${by} at ${now.toISOString()}`;
        const exact = (rows: OpenCasesSummaryRow[]) =>
          rows.map(({ stage, place, open, overdue, max_age }) => ({ label, stage, place, open, overdue, max_age }));
        expect(exact(fast)).toEqual(exact(scan));
        fast.forEach((row, i) => {
          // PostgreSQL's avg(interval) rounds days and microseconds apart, by each row's split:
          // the totals hold the exact mean, which can differ from it by the last microsecond.
          expect(Math.abs(row.avg_age - scan[i].avg_age)).toBeLessThanOrEqual(1.001e-6);
          expect([label, days(row.avg_age)]).toEqual([label, days(scan[i].avg_age)]);
        });
        compared += scan.length;
      }
    }
  }
  return compared;
}

describe('open case totals (migration 016) answer as the scan of cases does', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('after a random mix of inserts, stage moves, status and due changes, entry time changes and deletes', async () => {
    const w = caseWriter(db.pool, 1);
    for (let i = 0; i < 150; i++) await w.insert();
    for (let i = 0; i < 600; i++) await w.change();
    expect(await expectSameAsScan(db.pool)).toBeGreaterThan(2000);
    // No empty day buckets are left behind.
    for (const table of ['open_case_due_days', 'open_case_town_due_days']) {
      expect((await db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE due <= 0`)).rows[0].n).toBe(0);
    }
  });

  it('when many transactions move cases between the same groups at once, both ways (no lost count, no deadlock)', async () => {
    const w = caseWriter(db.pool, 2);
    for (let i = 0; i < 40; i++) await w.insert();
    const ids = (await db.pool.query<{ case_id: string }>("SELECT case_id FROM cases WHERE case_id LIKE 'case-2-%'")).rows.map((r) => r.case_id);
    const rnd = prng(3);
    // As the projector writes a case: one case per transaction, its row locked first, the holder set after.
    const move = async (caseId: string, village: string, stage: string) => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT state FROM cases WHERE case_id = $1 FOR UPDATE', [caseId]);
        await client.query("UPDATE cases SET village = $2, stage = $3, stage_due_at = stage_due_at + interval '1 day' WHERE case_id = $1", [
          caseId,
          village,
          stage,
        ]);
        await client.query("UPDATE cases SET holder = 'someone' WHERE case_id = $1", [caseId]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const flip = (caseId: string) =>
      db.pool.query("UPDATE cases SET status = CASE status WHEN 'open' THEN 'rejected' ELSE 'open' END WHERE case_id = $1", [caseId]);
    // Two villages and two stages: moves cross each other in opposite directions. (A case of the
    // other county keeps its county and town: the totals hold to the columns as written.)
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 3 === 0 ? flip(ids[(i * 7 + 3) % ids.length]) : move(ids[i % ids.length], VILLAGES[Math.floor(rnd() * 2)], STAGES[Math.floor(rnd() * 2)]),
      ),
    );
    expect(await expectSameAsScan(db.pool)).toBeGreaterThan(1000);
  });

  it('when the cases table is truncated', async () => {
    await db.pool.query('TRUNCATE cases CASCADE');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM open_case_groups')).rows[0].n).toBe(0);
    const w = caseWriter(db.pool, 4);
    for (let i = 0; i < 30; i++) await w.insert();
    expect(await expectSameAsScan(db.pool)).toBeGreaterThan(100);
  });
});

describe('migration 016 backfills the totals from the cases already there', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ before: '016-open-case-summary' });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('answers as the scan does right after migrating, and keeps doing so after more writes', async () => {
    const w = caseWriter(db.pool, 5);
    for (let i = 0; i < 120; i++) await w.insert();
    for (let i = 0; i < 200; i++) await w.change();
    expect(await migrate(db.pool)).toContain('016-open-case-summary');
    expect(await expectSameAsScan(db.pool)).toBeGreaterThan(1000);
    for (let i = 0; i < 200; i++) await w.change();
    expect(await expectSameAsScan(db.pool)).toBeGreaterThan(1000);
  });
});
