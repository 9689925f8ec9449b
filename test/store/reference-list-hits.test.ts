import { createHash } from 'node:crypto';
import { comparisonQueryId, hitsOfCase, hitsOfList, insertReferenceList } from '../../src/store/reference-lists';
import { createTestDatabase, type TestDatabase } from '../support/db';

const CASES = 100_000;
const hashOf = (n: number) => createHash('sha256').update(`member-${n}`).digest('hex');

/**
 * The comparison's SQL over a county's worth of households: 100,000 cases (every seventh
 * closed, every eleventh an exit, a few in another county), two members each, keyed hashes only.
 * A list of 5,000 people of whom 1 in 100 is a member: each hit is found once, on the case's
 * own current case, never on a closed or exit case, nor across counties.
 */
describe('reference list hits (SQL join on keyed hashes)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `WITH g AS (SELECT g, 'case-' || lpad(g::text, 36, '0') AS case_id, 'hh_' || g AS household_id,
                         CASE WHEN g % 1000 = 0 THEN '520102' ELSE '522701' END AS county FROM generate_series(1, $1) g)
       INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state, household_hash,
                          opened_at, stage_entered_at, version, updated_at)
       SELECT case_id, household_id, 'u' || g, county, county || '101', county || '101201', 'town_audit',
              CASE WHEN g % 7 = 0 THEN 'enrolled' ELSE 'open' END, '{}'::jsonb,
              jsonb_build_object('procedure', CASE WHEN g % 11 = 0 THEN 'exit' ELSE 'entry' END), 'h', now(), now(), 2, now()
       FROM g`,
      [CASES],
    );
    await db.pool.query(
      `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at)
       SELECT 'hh_' || g, '522701101201', '[]'::jsonb,
              ARRAY[encode(sha256(('member-' || (2 * g))::bytea), 'hex'), encode(sha256(('member-' || (2 * g + 1))::bytea), 'hex')],
              'applying', 'case-' || lpad(g::text, 36, '0'), now()
       FROM generate_series(1, $1) g`,
      [CASES],
    );
    await db.pool.query('ANALYZE');
  }, 120_000);
  afterAll(() => db?.drop());

  it('finds each member on the list on its open entry case of the county, once, and says how many cases it compared', async () => {
    // Entries: 50 members (households 1, 101, 201, …, second member), 4,950 strangers.
    const members = Array.from({ length: 50 }, (_, i) => 1 + 100 * i);
    const entries = [
      ...members.map((h, i) => ({ idHash: hashOf(2 * h + 1), line: i + 2 })),
      ...Array.from({ length: 4950 }, (_, i) => ({ idHash: hashOf(10_000_000 + i), line: 52 + i })),
    ];
    await insertReferenceList(db.pool, {
      listId: 'rl-0001',
      county: '522701',
      source: 'deaths',
      listDate: '2026-11-30',
      format: 'csv',
      contentHash: 'c',
      importedBy: 'county-office',
      entries,
    });
    const t0 = process.hrtime.bigint();
    const found = await hitsOfList(db.pool, 'rl-0001');
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(`\n[measure] comparing a 5,000-person list with ${CASES.toLocaleString('en')} cases: ${ms.toFixed(0)} ms\n`);

    const open = (h: number) => h % 7 !== 0 && h % 11 !== 0 && h % 1000 !== 0;
    const caseOf = (h: number) => `case-${String(h).padStart(36, '0')}`;
    expect(found.cases.map((c) => c.caseId).sort()).toEqual(members.filter(open).map(caseOf).sort());
    for (const c of found.cases) {
      expect(c.hits).toHaveLength(1);
      expect(c.hits[0]).toMatchObject({ source: 'deaths', listId: 'rl-0001', listDate: '2026-11-30' });
      expect(c.hits[0].queryId).toBe(comparisonQueryId(c.caseId, 'rl-0001', c.hits[0].memberIdHash));
    }
    const expected = Array.from({ length: CASES }, (_, i) => i + 1).filter((h) => h % 7 !== 0 && h % 11 !== 0 && h % 1000 !== 0).length;
    expect(found.casesCompared).toBe(expected);

    // A case reaching town audit finds the same hit, with the same query id; another county's case finds none.
    const h = members.filter(open)[0];
    const one = await hitsOfCase(db.pool, { caseId: caseOf(h), county: '522701', memberIdHashes: [hashOf(2 * h), hashOf(2 * h + 1)] });
    expect(one).toEqual(found.cases.find((c) => c.caseId === caseOf(h))?.hits);
    expect(await hitsOfCase(db.pool, { caseId: caseOf(h), county: '520102', memberIdHashes: [hashOf(2 * h + 1)] })).toEqual([]);
  }, 60_000);
});
