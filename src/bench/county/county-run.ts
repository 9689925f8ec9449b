/**
 * `npm run county`'s driver (scripts/county.mjs starts Postgres, Temporal, the worker and the
 * API, then runs this): the seed county from bulk intake through every stage to enrolment,
 * through the API, as the seeds work — each village's assembly appraises its list in one
 * meeting, each town audits its list, the county approves the lot — with publicity periods
 * shortened. Prints the time of each stage; at the end every stream's hash chain is verified.
 */
import { cpus, loadavg } from 'node:os';
import { loadConfig } from '../../config/config';
import { upsertJurisdictions, upsertUsers } from '../../directory/directory';
import { newToken } from '../../directory/tokens';
import { createPool } from '../../store/db';
import { verifyChain } from '../../store/verify-chain';
import { countyApi, inParallel, type CountyApi } from './county-client';
import { COUNTY_CODE, SEED_HOUSEHOLDS, SEED_VILLAGES, countyPlan, villageHouseholds } from './county-plan';

const VILLAGES = Number(process.env.COUNTY_VILLAGES ?? SEED_VILLAGES);
const HOUSEHOLDS = Number(process.env.COUNTY_HOUSEHOLDS ?? SEED_HOUSEHOLDS);
/** Most items one batch decision takes (the API's limit). */
const BATCH_ITEMS = 500;
const VOTES = { representatives: 21, present: 19, for: 16, against: 2, abstain: 1 };

interface Task {
  subjectId: string;
  subjectKind: string;
  kind: string;
  stage: string;
  householdHash: string;
}
interface BatchAnswer {
  succeeded: number;
  failed: number;
  results: { caseId: string; status: number; problem?: { detail?: string } }[];
}
interface IntakeBatch {
  batchId: string;
  status: 'processing' | 'done';
  processed: number;
  total: number;
  accepted: unknown[];
  rejected: unknown[];
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every open decision task of the official's jurisdiction at `stage`, page by page. */
async function tasksAt(api: CountyApi, as: string, stage: string): Promise<Task[]> {
  const found: Task[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Task[]; nextCursor: string | null } = await api.get(as, `/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    found.push(...page.items.filter((t) => t.subjectKind === 'case' && t.kind === 'decision' && t.stage === stage));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** One official decides every case of their list at `stage`, in batches of at most 500. */
async function decideList(api: CountyApi, as: string, stage: string, reason: string): Promise<number> {
  const tasks = await tasksAt(api, as, stage);
  let decided = 0;
  for (let i = 0; i < tasks.length; i += BATCH_ITEMS) {
    const items = tasks.slice(i, i + BATCH_ITEMS).map((t) => ({ caseId: t.subjectId, householdHash: t.householdHash }));
    const body = { stage, decision: 'approve', reason, ...(stage === 'village_evaluation' ? { votes: VOTES } : {}), items };
    const answer: BatchAnswer = await api.post(as, '/cases/decisions', body, `county-run-${stage}-${as}-${i}`);
    const refused = answer.results.filter((r) => r.status >= 400);
    if (refused.length)
      throw new Error(`${stage} by ${as}: ${refused.length} refused, e.g. ${refused[0].caseId}: ${refused[0].status} ${refused[0].problem?.detail ?? ''}`);
    decided += answer.succeeded;
  }
  return decided;
}

/** Open cases per stage in the county, from the supervision summary (the supervisor's view). */
async function openByStage(api: CountyApi): Promise<Map<string, number>> {
  const summary: { rows: { stage: string; open: number }[] } = await api.get('county-run-supervisor', '/supervision/summary?by=town');
  const counts = new Map<string, number>();
  for (const r of summary.rows) counts.set(r.stage, (counts.get(r.stage) ?? 0) + r.open);
  return counts;
}

/** Waits until no open case is at any of `stages` (a publicity period runs out on each case's own timer). */
async function drain(api: CountyApi, stages: string[]): Promise<void> {
  for (let last = ''; ;) {
    const counts = await openByStage(api);
    const left = stages.map((s) => counts.get(s) ?? 0);
    if (left.every((n) => n === 0)) return;
    const line = stages.map((s, i) => `${s} ${left[i]}`).join(', ');
    if (line !== last) out(`    waiting: ${line}`);
    last = line;
    await sleep(2000);
  }
}

async function main(): Promise<void> {
  const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
  const pool = createPool(loadConfig().databaseUrl, 4);
  const plan = countyPlan(VILLAGES, HOUSEHOLDS);
  const tokens = new Map(plan.officials.map((o) => [o.userId, newToken()]));
  const api = countyApi(apiUrl, (id) => tokens.get(id) ?? '');
  const stages: { name: string; ms: number; note: string }[] = [];
  const stage = async (name: string, work: () => Promise<string>) => {
    const t0 = Date.now();
    out(`  ${name}…`);
    const note = await work();
    stages.push({ name, ms: Date.now() - t0, note });
    out(`  ${name}: ${seconds(Date.now() - t0)} s (${note})`);
  };
  out(
    `county run: ${plan.villages.length} villages in ${plan.towns.length} towns, ${HOUSEHOLDS} households; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(1)}`,
  );
  const t0 = Date.now();
  try {
    await upsertJurisdictions(pool, plan.jurisdictions);
    await upsertUsers(
      pool,
      plan.officials.map((o) => ({ ...o, token: tokens.get(o.userId) ?? '' })),
    );

    await stage('bulk intake (one file per village)', async () => {
      const batches: { village: string; batchId: string }[] = [];
      await inParallel(
        plan.villages.map((v, i) => ({ v, i })),
        4,
        async ({ v, i }) => {
          const as = plan.actorFor(v.code);
          const b: IntakeBatch = await api.post(
            as,
            '/intake/batches',
            { village: v.code, rows: villageHouseholds(i, v.households) },
            `county-run-intake-${v.code}`,
          );
          batches.push({ village: v.code, batchId: b.batchId });
        },
      );
      let accepted = 0;
      let rejected = 0;
      for (const pending = [...batches]; pending.length;) {
        const { village, batchId } = pending[0];
        const b: IntakeBatch = await api.get(plan.actorFor(village), `/intake/batches/${batchId}`);
        if (b.status !== 'done') {
          await sleep(2000);
          continue;
        }
        accepted += b.accepted.length;
        rejected += b.rejected.length;
        pending.shift();
      }
      if (rejected) throw new Error(`bulk intake refused ${rejected} rows`);
      return `${accepted} cases opened`;
    });

    await stage('village assemblies (one batch per village)', async () => {
      let n = 0;
      await inParallel(plan.villages, 4, async (v) => {
        const decided = await decideList(api, plan.actorFor(v.code), 'village_evaluation', '村民代表大会民主评议通过 approved by the assembly');
        n += decided; // not `n += await …`: that reads n before the wait and loses the others' counts
      });
      return `${n} appraised`;
    });
    await stage('village publicity', async () => {
      await drain(api, ['village_evaluation', 'village_publicity']);
      return 'every case at town_audit';
    });
    await stage('town audits (one list per town)', async () => {
      let n = 0;
      await inParallel(plan.towns, 4, async (t) => {
        const decided = await decideList(api, plan.actorFor(t), 'town_audit', '乡镇审核通过 audited');
        n += decided;
      });
      return `${n} audited`;
    });
    await stage('town publicity', async () => {
      await drain(api, ['town_audit', 'town_publicity']);
      return 'every case at county_approval';
    });
    await stage('county approval', async () => {
      const n = await decideList(api, plan.actorFor(COUNTY_CODE), 'county_approval', '县审定通过 approved by the county');
      await drain(api, ['county_approval']);
      return `${n} approved`;
    });
    const enrolled = Number(
      (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE county = $1 AND status = 'enrolled'`, [COUNTY_CODE])).rows[0].n,
    );
    const total = Date.now() - t0;
    await stage('verify every hash chain', async () => {
      const report = await verifyChain(pool);
      if (!report.ok) throw new Error(`chain broken at ${report.streamId} v${report.version}: ${report.problem}`);
      return `${report.streams} streams, ${report.events} events, all intact`;
    });
    out('\nstage                                         seconds');
    for (const s of stages) out(`${s.name.padEnd(45)} ${seconds(s.ms).padStart(7)}  ${s.note}`);
    out(`${'intake to enrolment'.padEnd(45)} ${seconds(total).padStart(7)}  ${enrolled} of ${HOUSEHOLDS} households enrolled (goal: under 600 s)`);
    out(`load average at the end: ${loadavg()[0].toFixed(1)}`);
    if (enrolled !== HOUSEHOLDS) throw new Error(`${enrolled} enrolled, ${HOUSEHOLDS} expected`);
  } finally {
    await pool.end();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`county run: ${e.message}\n`);
  process.exit(1);
});
