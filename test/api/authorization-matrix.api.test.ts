import { DEMO_USERS } from '../../src/directory/demo-directory';
import { contains } from '../../src/domain/jurisdiction';
import { OFFICIAL_ROLES, ROLES, type Role } from '../../src/domain/roles';
import { apiHarness, type ApiHarness } from '../support/api-harness';
import { householdInput } from '../support/fixtures';

const SHIBAN = '522701101201';
const noQuorum = { representatives: 21, present: 5, for: 5, against: 0, abstain: 0 }; // recorded, leaves the stage as it is

type User = (typeof DEMO_USERS)[number];
const inJurisdiction = (u: User) => contains(u.jurisdiction, SHIBAN);
const official = (u: User) => OFFICIAL_ROLES.includes(u.role);
const is =
  (...roles: Role[]) =>
  (u: User) =>
    roles.includes(u.role);

/**
 * Every demo user (each role, inside and outside the case's jurisdiction) against every
 * action on a case in Shiban village. The expectation is the rule written out, not the code.
 */
const ACTIONS: {
  name: string;
  allowed: (u: User) => boolean;
  okStatus: number;
  run: (api: ApiHarness, caseId: string, as: string) => Promise<{ status: number }>;
}[] = [
  {
    name: 'submit an application for the village',
    okStatus: 201,
    allowed: (u) => (u.role === 'applicant' && u.jurisdiction === SHIBAN) || (u.role === 'village_official' && inJurisdiction(u)),
    run: (api, _c, as) => api.call('POST', '/applications', { as, body: { village: SHIBAN, household: householdInput() } }),
  },
  {
    name: 'read the case',
    okStatus: 200,
    allowed: (u) => (u.role === 'applicant' ? u.userId === 'applicant-shiban-1' : official(u) && inJurisdiction(u)),
    run: (api, c, as) => api.call('GET', `/cases/${c}`, { as }),
  },
  {
    name: "read the case's events",
    okStatus: 200,
    allowed: (u) => official(u) && inJurisdiction(u),
    run: (api, c, as) => api.call('GET', `/cases/${c}/events`, { as }),
  },
  {
    name: 'decide village evaluation',
    okStatus: 200,
    allowed: (u) => u.role === 'village_official' && inJurisdiction(u),
    run: (api, c, as) => api.call('POST', `/cases/${c}/decisions`, { as, body: { stage: 'village_evaluation', decision: 'approve', votes: noQuorum } }),
  },
  {
    // The batch is open to the deciding roles; each case is then checked as the single decision checks it (its status in the results).
    name: 'decide village evaluation in a batch',
    okStatus: 200,
    allowed: (u) => u.role === 'village_official' && inJurisdiction(u),
    run: async (api, c, as) => {
      const householdHash = (await api.call('GET', `/cases/${c}`, { as: 'county-office' })).body.householdHash;
      const r = await api.call('POST', '/cases/decisions', {
        as,
        body: { stage: 'village_evaluation', decision: 'approve', votes: noQuorum, items: [{ caseId: c, householdHash }] },
      });
      return r.status === 200 ? { status: r.body.results[0].status } : r;
    },
  },
  {
    name: 'list tasks',
    okStatus: 200,
    allowed: is('village_official', 'town_official', 'county_official', 'fund_manager'),
    run: (api, _c, as) => api.call('GET', '/tasks', { as }),
  },
  {
    name: 'list the funds',
    okStatus: 200,
    allowed: is('fund_manager', 'cashier', 'supervisor', 'auditor', 'county_official'),
    run: (api, _c, as) => api.call('GET', '/funds', { as }),
  },
  {
    name: 'see stalled cases',
    okStatus: 200,
    allowed: is('supervisor', 'county_official', 'auditor'),
    run: (api, _c, as) => api.call('GET', '/supervision/stalled', { as }),
  },
  {
    // Exports (issue #12) answer what the list answers, so they are open to the same roles; each sees only its own jurisdiction's rows.
    name: 'export cases as CSV',
    okStatus: 200,
    allowed: official,
    run: (api, _c, as) => api.call('GET', '/cases?format=csv', { as }),
  },
  {
    name: 'export stalled cases as xlsx',
    okStatus: 200,
    allowed: is('supervisor', 'county_official', 'auditor'),
    run: (api, _c, as) => api.call('GET', '/supervision/stalled?format=xlsx', { as }),
  },
  {
    name: 'download the intake template (xlsx)',
    okStatus: 200,
    allowed: is('village_official', 'town_official', 'county_official'),
    run: (api, _c, as) => api.call('GET', '/intake/template.xlsx', { as }),
  },
  {
    name: 'download the intake template (csv)',
    okStatus: 200,
    allowed: is('village_official', 'town_official', 'county_official'),
    run: (api, _c, as) => api.call('GET', '/intake/template.csv', { as }),
  },
  {
    name: 'see the supervision summary',
    okStatus: 200,
    allowed: is('supervisor', 'county_official', 'auditor'),
    run: (api, _c, as) => api.call('GET', '/supervision/summary', { as }),
  },
  {
    name: "read the village's publicity notice",
    okStatus: 200,
    allowed: (u) => (u.role === 'applicant' || official(u)) && inJurisdiction(u),
    run: (api, _c, as) => api.call('GET', `/publicity/${SHIBAN}?stage=village_publicity`, { as }),
  },
  {
    name: "list one's own applications",
    okStatus: 200,
    allowed: is('applicant'),
    run: (api, _c, as) => api.call('GET', '/my/cases', { as }),
  },
  {
    name: 'read recorded denials',
    okStatus: 200,
    allowed: is('supervisor', 'auditor'),
    run: (api, _c, as) => api.call('GET', '/audit/denials', { as }),
  },
  {
    name: 'read the household',
    okStatus: 200,
    allowed: (u) => is('village_official', 'town_official', 'county_official', 'supervisor', 'auditor')(u) && inJurisdiction(u),
    run: async (api, c, as) => {
      const householdId = (await api.db.pool.query('SELECT household_id FROM cases WHERE case_id = $1', [c])).rows[0].household_id;
      return api.call('GET', `/households/${householdId}`, { as });
    },
  },
  {
    // Allowed callers get past access checks to the rule that the household is not enrolled yet (409).
    name: "propose the household's exit",
    okStatus: 409,
    allowed: (u) => is('village_official', 'town_official')(u) && inJurisdiction(u),
    run: async (api, c, as) => {
      const householdId = (await api.db.pool.query('SELECT household_id FROM cases WHERE case_id = $1', [c])).rows[0].household_id;
      return api.call('POST', `/households/${householdId}/exit`, { as, body: { reason: 'verified' } });
    },
  },
  {
    // Decoding Temporal payloads reveals personal data: the platform operator only, whatever the jurisdiction.
    name: 'decode Temporal payloads',
    okStatus: 200,
    allowed: is('operator'),
    run: (api, _c, as) => api.call('POST', '/codec/decode', { as, body: { payloads: [] } }),
  },
  {
    name: 'encode Temporal payloads',
    okStatus: 200,
    allowed: is('operator'),
    run: (api, _c, as) => api.call('POST', '/codec/encode', { as, body: { payloads: [] } }),
  },
  // Log-in and administration (issue #12): administrators act on users and the tree within their own jurisdiction only.
  { name: 'who am I', okStatus: 200, allowed: () => true, run: (api, _c, as) => api.call('GET', '/auth/me', { as }) },
  { name: 'read the jurisdiction tree', okStatus: 200, allowed: () => true, run: (api, _c, as) => api.call('GET', '/jurisdictions', { as }) },
  { name: 'list users', okStatus: 200, allowed: is('administrator'), run: (api, _c, as) => api.call('GET', '/users', { as }) },
  {
    name: 'create a user in the village',
    okStatus: 201,
    allowed: (u) => u.role === 'administrator' && inJurisdiction(u),
    run: (api, _c, as) =>
      api.call('POST', '/users', {
        as,
        body: { username: `matrix-${as}`, name: '矩阵测试', role: 'village_official', jurisdiction: SHIBAN, password: 'matrix-password-1' },
      }),
  },
  {
    name: "change a village user's name",
    okStatus: 200,
    allowed: (u) => u.role === 'administrator' && inJurisdiction(u),
    run: (api, _c, as) => api.call('PATCH', '/users/village-shiban', { as, body: { name: 'Shiban village committee' } }),
  },
  {
    name: "reset a village user's password",
    okStatus: 200,
    allowed: (u) => u.role === 'administrator' && inJurisdiction(u),
    run: (api, _c, as) => api.call('POST', '/users/applicant-shiban-1/password', { as, body: { password: 'matrix-password-2' } }),
  },
  {
    name: 'add a village to the town',
    okStatus: 201,
    allowed: (u) => u.role === 'administrator' && inJurisdiction(u),
    run: (api, _c, as) => {
      const code = `522701101${String(300 + DEMO_USERS.findIndex((u) => u.userId === as)).padStart(3, '0')}`;
      return api.call('POST', '/jurisdictions', { as, body: { code, name: '矩阵村', level: 'village', parentCode: '522701101' } });
    },
  },
  {
    name: 'rename the village',
    okStatus: 200,
    allowed: (u) => u.role === 'administrator' && inJurisdiction(u),
    run: (api, _c, as) => api.call('PATCH', `/jurisdictions/${SHIBAN}`, { as, body: { name: 'Shiban Village' } }),
  },
  {
    // Counts, no person in them: for who runs the platform and who supervises it.
    name: 'scrape the metrics',
    okStatus: 200,
    allowed: is('operator', 'supervisor'),
    run: (api, _c, as) => api.call('GET', '/metrics', { as }),
  },
];

describe('authorization matrix: every role, inside and outside the jurisdiction, every action', () => {
  let api: ApiHarness;
  let caseId: string;
  beforeAll(async () => {
    api = await apiHarness();
    const r = await api.call('POST', '/applications', { as: 'applicant-shiban-1', body: { village: SHIBAN, household: householdInput() } });
    caseId = r.body.caseId;
  });
  afterAll(() => api?.close());

  const cases = ACTIONS.flatMap((a) => DEMO_USERS.map((u) => [a.name, u.userId, u.role, inJurisdiction(u) ? 'own' : 'other', a] as const));
  it.each(cases)('%s as %s (%s, %s jurisdiction)', async (_name, userId, _role, _where, action) => {
    const user = DEMO_USERS.find((u) => u.userId === userId) as User;
    const r = await action.run(api, caseId, userId);
    expect({ userId, status: r.status }).toEqual({ userId, status: action.allowed(user) ? action.okStatus : 403 });
  });

  it('covers each role inside and outside the jurisdiction', () => {
    const officials = DEMO_USERS.filter((u) => u.role !== 'applicant');
    expect(new Set(DEMO_USERS.map((u) => u.role)).size).toBe(ROLES.length);
    expect(officials.some((u) => !inJurisdiction(u) && u.role === 'village_official')).toBe(true);
    expect(officials.some((u) => !inJurisdiction(u) && u.role === 'town_official')).toBe(true);
    expect(DEMO_USERS.some((u) => !inJurisdiction(u) && u.role === 'applicant')).toBe(true);
    expect(DEMO_USERS.some((u) => !inJurisdiction(u) && u.role === 'administrator')).toBe(true);
    expect(DEMO_USERS.some((u) => inJurisdiction(u) && u.role === 'administrator')).toBe(true);
  });
});
