/**
 * `npm run bench` (scripts/bench.mjs starts the servers, the engine's worker and API, and the
 * bare worker, then this): the engine measured against bare Temporal and Postgres baselines of
 * the same shape, in interleaved rounds on the same servers; then queries and list endpoints
 * over 100k seeded cases and 100k loans. Prints a table and exits 1 when a goal is missed.
 */
import { cpus, loadavg } from 'node:os';
import type { Pool } from 'pg';
import { loadConfig } from '../config/config';
import { createPool } from '../store/db';
import { appendsVersusInserts } from './append-vs-insert';
import { benchApiLists } from './api-lists';
import { benchApplications } from './applications';
import { benchCaseQueries, seedCases } from './case-queries';
import { benchLoans } from './bench-loans';
import { BareClient, EngineApi } from './clients';
import { benchDecisions } from './decisions';
import { benchHelpReports, HELP_BENCH } from './help-reports';
import { apply } from './engine-cases';
import { benchMemory } from './memory';
import { postgresDurability } from './postgres-durability';
import { benchReadAll } from './read-all';
import { SETTINGS } from './settings';
import { f0, f1, f2, formatTable, type ResultRow } from './table';

const machine = () =>
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
/** A row that records a figure the issues set no goal for. */
const FIGURE_ONLY = 'figure';
const say = (line: string) => process.stdout.write(`${line}\n`);
const pid = (name: string) => {
  const v = Number(process.env[name]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} is not set: run the benchmark with \`npm run bench\``);
  return v;
};

async function main(): Promise<void> {
  const pool = createPool(loadConfig().databaseUrl, 12);
  const api = new EngineApi();
  const bare = await BareClient.connect();
  const rows: ResultRow[] = [];
  try {
    const atStart = machine();
    say(`machine at start: ${atStart}${SETTINGS.quick ? '   (BENCH_QUICK=1: small counts, figures only check the harness)' : ''}`);
    say(await postgresDurability(pool));
    // Everything below runs "at 100k cases": the seeded ones fill the tables the engine's steps write to.
    say(`\nseeding ${SETTINGS.cases} cases and their open tasks…`);
    const s0 = Date.now();
    const first = await apply(api); // the engine's own case: its state is the seeded cases' template
    const template = (await pool.query<{ state: object }>('SELECT state FROM cases WHERE case_id = $1', [first.caseId])).rows[0]?.state;
    if (!template) throw new Error(`case ${first.caseId} has no row in cases`);
    await seedCases(pool, SETTINGS.cases, template);
    say(`  seeded in ${((Date.now() - s0) / 1000).toFixed(1)} s`);

    // BENCH_ONLY=help: only issue #13's figures (over the same seeded cases), without the half hour of the rest.
    const only = process.env.BENCH_ONLY === 'help';
    if (!only) await benchEngine(rows, api, bare, pool, first.caseId);
    await benchHelpFigures(rows, api, pool);

    // The order: decision, applications, appends, summary, memory; then the figures.
    const order = ['one decision', 'applications', 'event-store', 'supervision', 'worker memory', 'coverage', 'lost-contact', 'quarterly'];
    rows.sort((a, b) => order.findIndex((o) => a.what.startsWith(o)) - order.findIndex((o) => b.what.startsWith(o)));
    say(`\n${formatTable(rows)}`);
    say(`\nmachine at start: ${atStart}\nmachine at end:   ${machine()}\n${await postgresDurability(pool)}`);
    const goals = rows.filter((r) => r.goal !== FIGURE_ONLY);
    const missed = goals.filter((r) => !r.pass).length;
    if (goals.length === 0) say('figures only (BENCH_ONLY=help): no goal to meet');
    else say(missed ? `${missed} of ${goals.length} goals missed` : `all ${goals.length} goals met`);
    process.exitCode = missed ? 1 : 0;
  } finally {
    await bare.end();
    await pool.end();
  }
}

/** The engine against its baselines, and the queries over the seeded cases and loans (the goals of issues #6 to #11). */
async function benchEngine(rows: ResultRow[], api: EngineApi, bare: BareClient, pool: Pool, firstCaseId: string): Promise<void> {
  {
    say('\nengine against bare Temporal (interleaved rounds):');
    const apps = await benchApplications(api, bare);
    const appRatio = apps.casesPerSec / apps.barePerSec;
    rows.push({
      what: `applications, ${SETTINGS.clients} concurrent clients`,
      engine: `${f1(apps.casesPerSec)} cases/s`,
      baseline: `${f1(apps.barePerSec)} wf/s (start + Update, 1 insert)`,
      ratio: f2(appRatio),
      goal: '>= 0.9',
      pass: appRatio >= 0.9,
    });
    const dec = await benchDecisions(api, bare, apps.cases, apps.bareRuns);
    const r50 = dec.engine.p50 / dec.bare.p50;
    const r99 = dec.engine.p99 / dec.bare.p99;
    rows.push({
      what: 'one decision, sequential, p50 / p99',
      engine: `${f0(dec.engine.p50)} / ${f0(dec.engine.p99)} ms`,
      baseline: `${f0(dec.bare.p50)} / ${f0(dec.bare.p99)} ms (Update, 1 insert activity)`,
      ratio: `${f2(r50)} / ${f2(r99)}`,
      goal: 'p50 <= 1.0, p99 <= 1.2',
      pass: r50 <= 1.0 && r99 <= 1.2,
    });
    const mem = await benchMemory(api, bare, { engine: pid('BENCH_ENGINE_WORKER_PID'), bare: pid('BENCH_BARE_WORKER_PID') });
    rows.push({
      what: `worker memory, ${SETTINGS.openCases} more open`,
      engine: `${mem.enginePerCase.toFixed(3)} MB per case`,
      baseline: `${mem.barePerRun.toFixed(3)} MB per open workflow`,
      ratio: mem.barePerRun > 0 ? f1(mem.enginePerCase / mem.barePerRun) : '—',
      goal: '<= 0.25 MB per open case',
      pass: mem.enginePerCase <= 0.25,
    });

    say('\nevent store against bare Postgres (interleaved rounds):');
    const store = await appendsVersusInserts(pool, { writers: SETTINGS.writers, rounds: SETTINGS.appendRounds });
    say(`  ${SETTINGS.writers} writers: appends ${f0(store.appendsPerSec)} /s, single-row INSERT transactions ${f0(store.insertsPerSec)} /s`);
    rows.push({
      what: `event-store appends, ${SETTINGS.writers} writers, single events`,
      engine: `${f0(store.appendsPerSec)} /s`,
      baseline: `${f0(store.insertsPerSec)} /s (1-row INSERT transactions)`,
      ratio: f2(store.ratio),
      goal: '>= 0.5',
      pass: store.ratio >= 0.5,
    });
    await benchReadAll(pool);

    say(`\nqueries over ${SETTINGS.cases} cases, as SQL (${SETTINGS.queryRuns} runs each):`);
    await benchCaseQueries(pool);
    await benchLoans(pool);
    const lists = await benchApiLists(api, firstCaseId);
    rows.push({
      what: `supervision summary, county by stage and town, ${SETTINGS.cases} cases (API)`,
      engine: `p50 ${f1(lists.summary.p50)} / p99 ${f1(lists.summary.p99)} ms`,
      baseline: '—',
      ratio: '—',
      goal: 'p99 < 20 ms',
      pass: lists.summary.p99 < 20,
    });
  }
}

/** Issue #13: figures at its scale, with no goal set (p99 in ms, for the record). */
async function benchHelpFigures(rows: ResultRow[], api: EngineApi, pool: Pool): Promise<void> {
  const help = await benchHelpReports(api, pool);
  const at = `${HELP_BENCH.households} households, ${HELP_BENCH.helpers} helpers (API)`;
  for (const [what, p] of [
    [`coverage report, county, ${at}`, help.coverage],
    [`lost-contact list, county, ${at}`, help.lostContact],
    [`quarterly assessment, county, ${at}`, help.assessment],
  ] as const) {
    rows.push({ what, engine: `p50 ${f1(p.p50)} / p99 ${f1(p.p99)} ms`, baseline: '—', ratio: '—', goal: FIGURE_ONLY, pass: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
  process.exit(2);
});
