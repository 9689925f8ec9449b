import { migrate } from '../../src/store/migrate';
import { openTasksFor } from '../../src/store/projections/tasks-queries';
import { createTestDatabase, type TestDatabase } from '../support/db';

const VILLAGE = '522701101201';
const COUNTY = '522701';
const CASE_TASK = 'task-00000000-0000-4000-8000-000000000001-3';
const DISB_TASK = 'task-00000000-0000-4000-8000-000000000002-2';
const DISB_DONE = 'task-00000000-0000-4000-8000-000000000002-1';
const RECON_TASK = 'task-00000000-0000-5000-8000-000000000003-1';

/** Issue #9 item 2: tasks written in the old shape (case_id for every subject) keep everything through migration 013. */
describe('migration 013 (tasks for any subject)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ before: '013-task-subjects' });
    const insert = `INSERT INTO tasks (task_id, case_id, subject_type, kind, stage, roles, county, town, village, household_hash, stage_entered_at,
                                       created_at, due_at, holder, claimed_at, status, closed_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`;
    const village = [COUNTY, VILLAGE.slice(0, 9), VILLAGE];
    await db.pool.query(insert, [
      CASE_TASK,
      'case-00000000-0000-4000-8000-000000000001',
      'case',
      'decision',
      'town_audit',
      ['town_official'],
      ...village,
      'hh-hash',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T08:00:00Z',
      '2026-03-08T08:00:00Z',
      'town-heping',
      '2026-03-02T09:00:00Z',
      'open',
      null,
    ]);
    await db.pool.query(insert, [
      DISB_DONE,
      'disb-00000000-0000-4000-8000-000000000002',
      'disbursement',
      'decision',
      'disbursement_approval_town',
      ['town_official'],
      ...village,
      '',
      '0',
      '2026-03-03T08:00:00Z',
      null,
      null,
      null,
      'done',
      '2026-03-04T08:00:00Z',
    ]);
    await db.pool.query(insert, [
      DISB_TASK,
      'disb-00000000-0000-4000-8000-000000000002',
      'disbursement',
      'decision',
      'disbursement_approval_county',
      ['county_official'],
      ...village,
      '',
      '1',
      '2026-03-04T08:00:00Z',
      null,
      null,
      null,
      'open',
      null,
    ]);
    // A county fund's finding: the old producer repeated the fund's code below its level.
    await db.pool.query(insert, [
      RECON_TASK,
      `recon-fund-1-2026-03-05/missing_in_bank:disb-x`,
      'reconciliation',
      'decision',
      'reconciliation_missing_in_bank',
      ['fund_manager'],
      COUNTY,
      COUNTY,
      COUNTY,
      '',
      '1',
      '2026-03-06T01:00:00Z',
      null,
      null,
      null,
      'open',
      null,
    ]);
    expect((await migrate(db.pool))[0]).toBe('013-task-subjects');
  });
  afterAll(() => db.drop());

  const task = async (id: string) =>
    (
      await db.pool.query(
        `SELECT subject_kind, subject_id, kind, step, round, roles, jurisdiction, county, town, village, household_hash, created_at, due_at, escalate_at,
            holder, claimed_at, status, closed_at FROM tasks WHERE task_id = $1`,
        [id],
      )
    ).rows[0];

  it("names each task's subject kind and id, step and round, and keeps the rest", async () => {
    expect(await task(CASE_TASK)).toEqual({
      subject_kind: 'case',
      subject_id: 'case-00000000-0000-4000-8000-000000000001',
      kind: 'decision',
      step: 'town_audit',
      round: '2026-03-01T08:00:00.000Z',
      roles: ['town_official'],
      jurisdiction: VILLAGE,
      county: COUNTY,
      town: VILLAGE.slice(0, 9),
      village: VILLAGE,
      household_hash: 'hh-hash',
      created_at: new Date('2026-03-01T08:00:00Z'),
      due_at: new Date('2026-03-08T08:00:00Z'),
      escalate_at: null,
      holder: 'town-heping',
      claimed_at: new Date('2026-03-02T09:00:00Z'),
      status: 'open',
      closed_at: null,
    });
    expect(await task(DISB_DONE)).toMatchObject({
      subject_kind: 'disbursement',
      subject_id: 'disb-00000000-0000-4000-8000-000000000002',
      step: 'disbursement_approval_town',
      round: '0',
      status: 'done',
      closed_at: new Date('2026-03-04T08:00:00Z'),
    });
    expect(await task(DISB_TASK)).toMatchObject({
      subject_kind: 'disbursement',
      step: 'disbursement_approval_county',
      round: '1',
      jurisdiction: VILLAGE,
      status: 'open',
    });
    expect(await task(RECON_TASK)).toMatchObject({
      subject_kind: 'reconciliation',
      subject_id: 'recon-fund-1-2026-03-05/missing_in_bank:disb-x',
      step: 'reconciliation_missing_in_bank',
      jurisdiction: COUNTY,
      county: COUNTY,
      town: COUNTY,
      village: COUNTY,
    });
  });

  it('keeps the inbox: each task shows where it showed before, and only there', async () => {
    const inbox = async (jurisdiction: string, role: 'town_official' | 'county_official' | 'fund_manager') =>
      (await openTasksFor(db.pool, { jurisdiction, role, after: null, limit: 10 })).map((t) => t.task_id);
    expect(await inbox(VILLAGE.slice(0, 9), 'town_official')).toEqual([CASE_TASK]);
    expect(await inbox(COUNTY, 'county_official')).toEqual([DISB_TASK]);
    expect(await inbox(COUNTY, 'fund_manager')).toEqual([RECON_TASK]);
    expect(await inbox(VILLAGE.slice(0, 9), 'fund_manager')).toEqual([]); // a town does not see its county's fund
  });

  it('allows one open task per subject, and a subject of any kind by name', async () => {
    const open = (id: string, kind: string, subject: string) =>
      db.pool.query(
        `INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, round, roles, jurisdiction, household_hash, created_at, status)
       VALUES ($1, $2, $3, 'decision', 'some_step', '1', ARRAY['county_official'], $4, '', now(), 'open')`,
        [id, kind, subject, COUNTY],
      );
    await expect(open('task-dup', 'disbursement', 'disb-00000000-0000-4000-8000-000000000002')).rejects.toMatchObject({ code: '23505' });
    await expect(open('task-loan', 'loan', 'disb-00000000-0000-4000-8000-000000000002')).resolves.toBeDefined(); // same id, another kind
    await expect(open('task-bad', 'Loan; DROP', 'x')).rejects.toMatchObject({ code: '23514' });
  });
});
