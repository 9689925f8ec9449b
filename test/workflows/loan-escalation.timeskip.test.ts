import { STREAM_ID } from '../../src/domain/streams';
import { recordRepaymentUpdate } from '../../src/workflows/loan-messages';
import { COUNTY, TOWN } from '../support/fixtures';
import { advanceTo, loanHandle, loanHarness, OFFICIALS, onePaidLoan, openPool, type LoanHarness } from '../support/loan-harness';
import { waitFor } from '../support/case-harness';

/**
 * Issue #13 for loans, on the time-skipping server with the real worker and Postgres: the
 * village is reminded before the due day (31 December); an instalment still unpaid once its
 * grace days are over (none in these terms: late from 1 January) goes up to the town 3 days
 * into its lateness and to the county 3 days after that, each an event on the loan and a
 * follow-up task at that level; paying it closes the follow-up.
 */
describe('escalation of a late loan instalment on the time-skipping server', () => {
  let h: LoanHarness;
  let loanId: string;
  beforeAll(async () => {
    h = await loanHarness();
    loanId = await onePaidLoan(h, await openPool(h, 200_000, 200_000));
  }, 240_000);
  afterAll(() => h?.close());

  const escalations = async () =>
    (await h.store.readStream(STREAM_ID.loan(loanId)))
      .filter((e) => e.type === 'RepaymentEscalated')
      .map((e) => e.data as { level: string; jurisdiction: string });
  const openTasks = async () =>
    (
      await h.db.pool.query(
        "SELECT step, roles, jurisdiction FROM tasks WHERE subject_kind = 'loan' AND subject_id LIKE $1 AND status = 'open' ORDER BY step",
        [`${loanId}%`],
      )
    ).rows;

  it('goes to the town 3 days into the lateness, to the county 3 days later, and closes once paid', async () => {
    await advanceTo(h, '2027-12-18');
    await waitFor(async () => (await openTasks()).length === 1);
    expect(await openTasks()).toEqual([
      { step: 'repayment_due', roles: ['village_official', 'cashier', 'fund_manager'], jurisdiction: OFFICIALS.village.jurisdiction },
    ]);

    await advanceTo(h, '2028-01-03', 12); // late since 1 January: not yet 3 days
    expect(await escalations()).toEqual([]);
    await advanceTo(h, '2028-01-04', 1);
    await waitFor(async () => (await escalations()).length === 1);
    expect(await escalations()).toEqual([{ instalment: 1, dueDate: '2027-12-31', level: 'town', jurisdiction: TOWN, owedFen: 55_000 }]);
    await waitFor(async () => (await openTasks()).length === 2);
    expect(await openTasks()).toEqual([
      { step: 'repayment_due', roles: ['village_official', 'cashier', 'fund_manager'], jurisdiction: OFFICIALS.village.jurisdiction },
      { step: 'repayment_overdue', roles: ['town_official'], jurisdiction: TOWN },
    ]);

    await advanceTo(h, '2028-01-06', 12);
    expect(await escalations()).toHaveLength(1);
    await advanceTo(h, '2028-01-07', 1);
    await waitFor(async () => (await escalations()).length === 2);
    expect((await escalations())[1]).toMatchObject({ level: 'county', jurisdiction: COUNTY });
    await waitFor(async () => (await openTasks()).some((t) => t.jurisdiction === COUNTY));
    expect((await openTasks()).map((t) => t.roles[0])).toEqual(['village_official', 'county_official']);
    await advanceTo(h, '2028-03-01'); // nothing above the county
    expect(await escalations()).toHaveLength(2);

    await loanHandle(h, loanId).executeUpdate(recordRepaymentUpdate, {
      args: [{ repaymentId: 'rep-late', amountFen: 55_000, method: 'cash', reference: 'R-late', receivedOn: '2028-03-01', actor: OFFICIALS.village }],
    });
    await waitFor(async () => (await openTasks()).length === 0);
  }, 240_000);
});
