import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { annualReview } from '../../src/workflows/annual-review';
import { caseHarness, type CaseHarness } from '../support/case-harness';
import { timeSkippingEnvironment } from '../support/temporal';

const SHIBAN = '522701101201';

/** Issue #13: the yearly run opens one review per enrolled household, however often it runs. */
describe('annual re-verification on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let h: CaseHarness;
  const enrolled: string[] = [];
  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    h = await caseHarness(env, { searchAttributes: false });
    // The registry as the case projections leave it: 45 enrolled households, and two that are not.
    for (let i = 0; i < 47; i++) {
      const id = `hh-${randomUUID()}`;
      const status = i < 45 ? 'enrolled' : i === 45 ? 'exited' : 'applying';
      if (status === 'enrolled') enrolled.push(id);
      await h.db.pool.query(
        `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at) VALUES ($1, $2, '[]', '{}', $3, 'case-x', now())`,
        [id, SHIBAN, status],
      );
    }
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('opens a review and a village task for every enrolled household once, over pages and a continue-as-new', async () => {
    const run = (n: number) =>
      env.client.workflow.execute(annualReview, {
        taskQueue: h.taskQueue,
        workflowId: `annual-review-${n}-${randomUUID()}`,
        args: [{ year: 2026, pageSize: 2 }],
      });
    // 45 households in pages of 2: 23 pages, more than a run holds (20), so the run continues as new once.
    expect(await run(1)).toEqual({ year: 2026, households: 45, opened: 45 });
    expect(await run(2)).toEqual({ year: 2026, households: 45, opened: 0 });
    const reviews = await h.db.pool.query('SELECT household_id, status, year FROM reviews WHERE year = 2026 ORDER BY household_id');
    expect(reviews.rows.map((r) => r.household_id)).toEqual([...enrolled].sort());
    expect(new Set(reviews.rows.map((r) => r.status))).toEqual(new Set(['open']));
    const tasks = await h.db.pool.query(
      "SELECT count(*)::int AS n FROM tasks WHERE subject_kind = 'review' AND status = 'open' AND step = 'annual_review' AND jurisdiction = $1",
      [SHIBAN],
    );
    expect(tasks.rows[0].n).toBe(45);
    // Another year is another review.
    expect(
      (await env.client.workflow.execute(annualReview, { taskQueue: h.taskQueue, workflowId: `annual-review-2027-${randomUUID()}`, args: [{ year: 2027 }] }))
        .opened,
    ).toBe(45);
  });
});
