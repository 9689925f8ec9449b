import type { EngineApi } from './clients';
import { LOAN_BENCH } from './seed-loans';
import { SETTINGS } from './settings';
import { timeIt, type Percentiles } from './timing';

/**
 * Every list endpoint (src/api/**\/*.controller.ts), through the API as a user of a role it
 * serves, over the seeded cases and loans: the first page, as a user opens it. Whole-file
 * exports (a scheme's every repayment) are timed fewer times: each is seconds of work.
 */
export async function benchApiLists(api: EngineApi, oneCaseId: string): Promise<{ summary: Percentiles }> {
  const { schemeId, fundId } = LOAN_BENCH;
  const today = new Date().toISOString().slice(0, 10);
  const runs = SETTINGS.queryRuns;
  const get = (path: string, as: string) => () => api.call('GET', path, as);
  process.stdout.write(`\nlist endpoints through the API (${runs} runs each unless said):\n`);
  await timeIt('GET /cases (county official)', get('/cases', 'county-office'), runs);
  await timeIt('GET /cases?stage=town_audit (town official)', get('/cases?stage=town_audit', 'town-heping'), runs);
  await timeIt('GET /cases/{id}/events (county official)', get(`/cases/${oneCaseId}/events`, 'county-office'), runs);
  await timeIt('GET /tasks (village official)', get('/tasks', 'village-shiban'), runs);
  await timeIt('GET /tasks (county official)', get('/tasks', 'county-office'), runs);
  await timeIt('GET /supervision/stalled (supervisor)', get('/supervision/stalled', 'supervisor'), runs);
  const summary = await timeIt('GET /supervision/summary (supervisor, by town)', get('/supervision/summary', 'supervisor'), runs);
  await timeIt('GET /supervision/summary?jurisdiction=town&by=village', get('/supervision/summary?jurisdiction=522701105&by=village', 'supervisor'), runs);
  await timeIt('GET /supervision/overdue-loans (county official)', get('/supervision/overdue-loans', 'county-office'), runs);
  await timeIt('GET /loans (county official)', get('/loans', 'county-office'), runs);
  await timeIt('GET /loans?bucket=31-60 (county official)', get(`/loans?scheme=${schemeId}&bucket=31-60`, 'county-office'), runs);
  await timeIt('GET /loan-schemes (county official)', get('/loan-schemes', 'county-office'), runs);
  await timeIt('GET /funds/{id}/ledger (fund manager)', get(`/funds/${fundId}/ledger`, 'fund-manager'), runs);
  await timeIt(
    'GET /funds/{id}/payouts, this year (fund manager)',
    get(`/funds/${fundId}/payouts?from=${today.slice(0, 4)}-01-01&to=${today}`, 'fund-manager'),
    runs,
  );
  await timeIt('GET /audit/denials (auditor)', get('/audit/denials', 'auditor'), runs);
  return { summary };
}
