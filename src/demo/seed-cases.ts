import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserRecord } from '../directory/directory';

/** A county's vehicle register for the comparison step (比对): Wang Fang of demo-case-1 owns a car, so her case gets a query. */
const SAMPLE_LIST = join(__dirname, '..', '..', 'demo', 'reference-lists', 'sample-vehicles.csv');

/** A few demo cases, submitted through the real API (idempotency keys make re-runs no-ops). */
const HOUSEHOLDS = [
  { key: 'demo-case-1', as: 'applicant-shiban-1', village: '522701101201', head: ['Wang Fang', '522701197003150021'], cause: 'illness', decide: null },
  {
    key: 'demo-case-2',
    as: 'village-shiban',
    village: '522701101201',
    head: ['Zhao Min', '522701196512040037'],
    cause: 'lack_of_skilled_labour',
    decide: 'approve',
  },
  { key: 'demo-case-3', as: 'village-yangliu', village: '522701101202', head: ['Chen Hua', '522701198108080044'], cause: 'living_environment', decide: null },
  {
    key: 'demo-case-4',
    as: 'applicant-baiyun-1',
    village: '522701102201',
    head: ['Liu Qiang', '522701197709090059'],
    cause: 'lack_of_development_funds',
    decide: 'reject',
  },
] as const;

const VILLAGE_OFFICIAL: Record<string, string> = { '522701101201': 'village-shiban', '522701101202': 'village-yangliu', '522701102201': 'village-baiyun' };

export async function seedDemoCases(apiUrl: string, users: UserRecord[]): Promise<string[]> {
  const token = (id: string) => users.find((u) => u.userId === id)?.token ?? '';
  const post = async (path: string, as: string, key: string, body: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token(as)}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { caseId?: string; detail?: string };
    if (res.status >= 400 && res.status !== 409) throw new Error(`${path}: ${res.status} ${json.detail ?? ''}`);
    return json;
  };
  const lines: string[] = [];
  for (const h of HOUSEHOLDS) {
    const created = await post('/applications', h.as, h.key, {
      village: h.village,
      household: {
        members: [{ name: h.head[0], relation: 'head', idNumber: h.head[1], ableToWork: true, health: 'healthy' }],
        annualIncomeFen: 310_000,
        housingGrade: 'C',
        primaryCause: h.cause,
        secondaryCauses: [],
        requestedHelp: 'one head of cattle',
        bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: `62284800${h.head[1].slice(-8)}` },
      },
    });
    if (!created.caseId) continue; // the household already had a case from an earlier seed
    if (h.decide) {
      await post(`/cases/${created.caseId}/decisions`, VILLAGE_OFFICIAL[h.village], `${h.key}-decide`, {
        stage: 'village_evaluation',
        decision: h.decide,
        reason: h.decide === 'reject' ? 'the assembly found the household above the line' : 'recommended by the assembly',
        votes:
          h.decide === 'approve'
            ? { representatives: 21, present: 19, for: 16, against: 2, abstain: 1 }
            : { representatives: 21, present: 18, for: 3, against: 14, abstain: 1 },
      });
    }
    lines.push(`${created.caseId} (${h.village})`);
  }
  lines.push(await importSampleList(apiUrl, token('county-office')));
  // A special fund with a first deposit, so the money endpoints have something to show.
  const fund = (await post('/funds', 'fund-manager', 'demo-fund-1', {
    name: 'Qingshan relief fund 2026',
    jurisdiction: '522701',
    account: '6228480000000101',
  })) as { fundId?: string };
  if (fund.fundId) {
    await post(`/funds/${fund.fundId}/deposits`, 'fund-manager', 'demo-fund-1-deposit', {
      amountFen: 15_000_000,
      source: 'higher_level_grant',
      reference: 'Provincial grant notice 2026-17',
    });
    lines.push(`fund ${fund.fundId} (150,000.00 yuan)`);
  }
  // Two helpers ("532", issue #13), ready to be paired with households once they are enrolled.
  for (const [userId, rank, unit] of [
    ['helper-li', 'cadre', '县农业农村局'],
    ['helper-zhao', 'county_leader', '县委办公室'],
  ] as const) {
    await post('/helpers', 'county-office', `demo-helper-${userId}`, { userId, rank, unit });
    lines.push(`helper ${userId} (${rank})`);
  }
  return lines;
}

/** Imports the sample vehicle register as the county office would, and says what its comparison found. */
async function importSampleList(apiUrl: string, token: string): Promise<string> {
  if (!existsSync(SAMPLE_LIST)) return 'no sample reference list (demo/reference-lists is not here)';
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${apiUrl}/reference-lists?source=vehicles&date=2026-12-01`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv', 'idempotency-key': 'demo-reference-list-vehicles' },
    body: readFileSync(SAMPLE_LIST),
  });
  const list = (await res.json()) as { listId?: string; detail?: string };
  if (!list.listId) throw new Error(`/reference-lists: ${res.status} ${list.detail ?? ''}`);
  for (let i = 0; i < 50; i++) {
    const view = (await (await fetch(`${apiUrl}/reference-lists/${list.listId}`, { headers })).json()) as {
      comparison: { casesCompared: number; hits: number } | null;
    };
    if (view.comparison)
      return `reference list ${list.listId} (车辆 vehicles): ${view.comparison.casesCompared} open cases compared, ${view.comparison.hits} hit(s)`;
    await new Promise((r) => setTimeout(r, 200));
  }
  return `reference list ${list.listId} (车辆 vehicles): comparison still running`;
}
