import { DEMO_USERS } from '../../src/directory/demo-directory';
import { seedDemoCases } from '../../src/demo/seed-cases';
import { apiHarness, type ApiHarness } from '../support/api-harness';

/** The demo seed imports demo/reference-lists/sample-vehicles.csv; its comparison finds the demo household that owns a car. */
describe('the demo reference list', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api?.close());

  it('hits demo-case-1 (Wang Fang) and nothing else; the seed says what it found', async () => {
    const lines = await seedDemoCases(
      api.baseUrl,
      DEMO_USERS.map((u) => ({ ...u, token: api.tokens[u.userId] })),
    );
    const summary = lines.find((l) => l.startsWith('reference list'));
    process.stdout.write(`\n[measure] demo seed: ${summary}\n`);
    expect(summary).toMatch(/^reference list rl-[0-9a-f]{32} \(车辆 vehicles\): 3 open cases compared, 1 hit\(s\)$/);
    const hit = await api.db.pool.query(
      `SELECT c.state->'household'->'members'->0->>'name' AS name, q->>'source' AS source, q->>'status' AS status
       FROM cases c CROSS JOIN LATERAL jsonb_array_elements(c.state->'queries') q`,
    );
    expect(hit.rows).toEqual([{ name: 'Wang Fang', source: 'vehicles', status: 'open' }]);
  }, 120_000);
});
