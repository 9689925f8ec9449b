/**
 * Issue #11: what a case decision costs on Temporal, against a bare baseline measured in the same
 * run, interleaved (a loaded machine slows both alike):
 *
 * - latency: the `decide` Update of an open case (village evaluation, approved) against an Update
 *   whose handler runs one ordinary activity that inserts one row (bare-update-workflow.ts);
 * - throughput: starting a case and waiting for its `submitted` Update (what POST /applications
 *   waits for) against starting a bare workflow and running its insert Update, a few at once;
 * - memory: the worker process's resident memory per open case.
 *
 * Needs a Temporal server (TEMPORAL_ADDRESS, with the engine's search attributes) and a Postgres
 * server (DATABASE_URL; a scratch database is created and dropped). Run compiled:
 * `node --expose-gc dist/bench/decision-latency.js`; BENCH_DECISIONS (100), BENCH_APPLICATIONS
 * (100) and BENCH_OPEN_CASES (300) set the counts, and BENCH_COMPARE_WORKFLOWS (the compiled
 * workflows/index.js of another build, e.g. main's) measures that build alongside, interleaved.
 * Figures print; nothing here asserts a speed.
 */
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_SLOT_DEFAULTS, loadPayloadKeys } from '../config/config';
import type { Keyring } from '../crypto/keyring';
import type { Actor } from '../domain/roles';
import { locationOf } from '../domain/jurisdiction';
import { createPool } from '../store/db';
import { householdHash, intakeHousehold, newHouseholdId } from '../store/household-intake';
import { migrate } from '../store/migrate';
import { FAILURE_CONVERTER_PATH, engineDataConverter } from '../temporal/data-converter';
import { createWorker } from '../worker/create-worker';
import { decideUpdate, identificationCase, submittedUpdate, type SubmitInput } from '../workflows/identification-case';
import { createBareActivities } from './bare-activities';
import { bareUpdate, insertOneUpdate } from './bare-update-workflow';

const VILLAGE = '522701101201';
const official: Actor = { userId: 'bench-village-official', role: 'village_official', jurisdiction: VILLAGE };
const votes = { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 };
const ID_KEY = 'bench-decision-latency-id-hash-key';

export interface DecisionFigures {
  decision: Percentiles;
  /** The same, on the workers of `compareQueue` (an earlier version of the workflows), when given. */
  compared?: { decision: Percentiles; applicationsPerSecond: number };
  bare: Percentiles;
  /** Operations a second: case start + `submitted`, and bare start + insert Update. */
  applicationsPerSecond: number;
  barePerSecond: number;
  /** Resident memory of the benchmark process grown per case opened (workers run in it). */
  mbPerOpenCase: number;
}
export interface Percentiles {
  p50: number;
  p99: number;
}

let serial = Math.floor(Math.random() * 1e6);
function submitInput(keys: Keyring): SubmitInput {
  const u = String(++serial).padStart(4, '0').slice(-4);
  const household = intakeHousehold(
    {
      members: [
        { name: 'Bench Head', relation: 'head', idNumber: `99000019800101${u}`, age: 50, ableToWork: true, health: 'chronic_illness' },
        { name: 'Bench Spouse', relation: 'spouse', idNumber: `99000019820202${u}`, age: 48, ableToWork: false, health: 'serious_illness' },
      ],
      annualIncomeFen: 200_000,
      housingGrade: 'C',
      primaryCause: 'illness',
      secondaryCauses: [],
      requestedHelp: 'benchmark household',
    },
    ID_KEY,
    keys,
  );
  return {
    type: 'Submit',
    caseId: `bench-case-${randomUUID()}`,
    householdId: newHouseholdId(),
    applicantId: `on-behalf:${official.userId}`,
    location: locationOf(VILLAGE),
    household,
    householdHash: householdHash(household),
    policy: { publicityPeriod: 'P7D', stageTimeLimit: 'P15D' },
    actor: official,
  };
}

const percentiles = (ms: number[]): Percentiles => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { p50: at(0.5), p99: at(0.99) };
};
const elapsedMs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export interface MeasureOptions {
  client: Client;
  keys: Keyring;
  caseQueue: string;
  bareQueue: string;
  /** A queue whose workers run another build of the workflows (e.g. main's), measured interleaved alongside. */
  compareQueue?: string;
  /** Timed Updates of each kind. */
  runs: number;
  /** Operations of each kind for the throughput figure, and how many at once. */
  throughputOps: number;
  concurrency: number;
  /** Cases opened (and left open) for the memory figure. */
  openCases: number;
}

/** Runs the three measurements on workers already polling `caseQueue` (the engine's) and `bareQueue` (bareUpdate). */
export async function measureDecisions(o: MeasureOptions): Promise<DecisionFigures> {
  const started: WorkflowHandle[] = [];
  const openCase = async (taskQueue = o.caseQueue) => {
    const submit = submitInput(o.keys);
    const handle = await o.client.workflow.start(identificationCase, {
      taskQueue,
      workflowId: submit.caseId,
      args: [{ submit, searchAttributes: true }],
    });
    started.push(handle);
    await handle.executeUpdate(submittedUpdate);
    return { handle, submit };
  };
  const openBare = async () => {
    const handle = await o.client.workflow.start(bareUpdate, { taskQueue: o.bareQueue, workflowId: `bench-bare-${randomUUID()}` });
    started.push(handle);
    await handle.executeUpdate(insertOneUpdate);
    return handle;
  };
  const timeDecision = async (taskQueue = o.caseQueue) => {
    const { handle, submit } = await openCase(taskQueue);
    const t0 = process.hrtime.bigint();
    await handle.executeUpdate(decideUpdate, {
      args: [{ type: 'Decide', stage: 'village_evaluation', decision: 'approve', votes, householdHash: submit.householdHash, actor: official }],
    });
    return elapsedMs(t0);
  };
  const timeBare = async () => {
    const handle = await openBare(); // its first Update (untimed) ran its first task, as the case's `submitted` did
    const t0 = process.hrtime.bigint();
    await handle.executeUpdate(insertOneUpdate);
    return elapsedMs(t0);
  };

  try {
    for (let i = 0; i < 5; i++) await Promise.all([timeDecision(), timeBare()]); // warm both workers
    if (o.compareQueue) for (let i = 0; i < 5; i++) await timeDecision(o.compareQueue);
    const decision: number[] = [];
    const bare: number[] = [];
    const compared: number[] = [];
    const kinds = [() => timeDecision().then((ms) => decision.push(ms)), () => timeBare().then((ms) => bare.push(ms))];
    const compareQueue = o.compareQueue;
    if (compareQueue) kinds.push(() => timeDecision(compareQueue).then((ms) => compared.push(ms)));
    for (let i = 0; i < o.runs; i++) {
      // Interleaved, each kind going first in turn.
      for (let k = 0; k < kinds.length; k++) await kinds[(i + k) % kinds.length]();
    }

    const throughput = async (op: () => Promise<unknown>) => {
      let left = o.throughputOps;
      const t0 = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (left-- > 0) await op();
        }),
      );
      return o.throughputOps / (elapsedMs(t0) / 1000);
    };
    const apps: number[] = [];
    const bares: number[] = [];
    const comparedApps: number[] = [];
    for (let round = 0; round < 2; round++) {
      bares.push(await throughput(openBare));
      apps.push(await throughput(() => openCase()));
      if (compareQueue) comparedApps.push(await throughput(() => openCase(compareQueue)));
    }

    const rss0 = await settledRss();
    let left = o.openCases;
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (left-- > 0) await openCase();
      }),
    );
    const rss1 = await settledRss();

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      decision: percentiles(decision),
      ...(compareQueue ? { compared: { decision: percentiles(compared), applicationsPerSecond: mean(comparedApps) } } : {}),
      bare: percentiles(bare),
      applicationsPerSecond: mean(apps),
      barePerSecond: mean(bares),
      mbPerOpenCase: (rss1 - rss0) / 1024 / 1024 / o.openCases,
    };
  } finally {
    for (const h of started) await h.terminate('benchmark over').catch(() => undefined);
  }
}

async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 500));
  }
  return process.memoryUsage().rss;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  Runtime.install({ logger: new DefaultLogger('WARN') }); // the SDK logs every bundling step at INFO
  const keys = loadPayloadKeys(process.env);
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = createPool(databaseUrl, 1);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const slots = WORKER_SLOT_DEFAULTS;
  const pool = createPool(url.toString(), slots.activitySlots + slots.workflowTaskSlots);
  const stop: (() => Promise<void>)[] = [];
  try {
    await migrate(pool);
    const connection = await NativeConnection.connect({ address });
    const clientConnection = await Connection.connect({ address });
    const client = new Client({ connection: clientConnection, dataConverter: engineDataConverter(keys) });
    const suffix = randomBytes(4).toString('hex');
    const caseQueue = `bench-cases-${suffix}`;
    const bareQueue = `bench-bare-${suffix}`;
    const engine = await createWorker({ connection, namespace: 'default', taskQueue: caseQueue, pool, bank: unusedBank, payloadKeys: keys, slots });
    const bareWorker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue: bareQueue,
      dataConverter: engineDataConverter(keys),
      workflowsPath: require.resolve('./bare-update-workflow'),
      activities: await createBareActivities(pool),
      maxConcurrentWorkflowTaskExecutions: slots.workflowTaskSlots,
      maxConcurrentWorkflowTaskPolls: Math.max(2, Math.floor(slots.workflowTaskSlots / 2)),
      maxConcurrentActivityTaskExecutions: slots.activitySlots,
      stickyQueueScheduleToStartTimeout: '3 seconds',
    });
    // BENCH_COMPARE_WORKFLOWS: another build's src/workflows/index.js (e.g. main's, compiled), run
    // by a second engine worker on a queue of its own and measured in the same run.
    const compareWorkflows = process.env.BENCH_COMPARE_WORKFLOWS;
    const compareQueue = compareWorkflows ? `bench-compared-${suffix}` : undefined;
    let compared: Worker | undefined;
    if (compareWorkflows && compareQueue) {
      const bundle = join(tmpdir(), `bench-compared-${suffix}.js`);
      const { code } = await bundleWorkflowCode({ workflowsPath: compareWorkflows, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quiet });
      writeFileSync(bundle, code);
      compared = await createWorker({
        connection,
        namespace: 'default',
        taskQueue: compareQueue,
        pool,
        bank: unusedBank,
        payloadKeys: keys,
        slots,
        workflowBundlePath: bundle,
      });
    }
    const running = [engine.run(), bareWorker.run(), ...(compared ? [compared.run()] : [])];
    stop.push(async () => {
      engine.shutdown();
      bareWorker.shutdown();
      compared?.shutdown();
      await Promise.all(running);
      await connection.close();
      await clientConnection.close();
    });
    const runs = Number(process.env.BENCH_DECISIONS ?? 100);
    const f = await measureDecisions({
      client,
      keys,
      caseQueue,
      bareQueue,
      compareQueue,
      runs,
      throughputOps: Number(process.env.BENCH_APPLICATIONS ?? 100),
      concurrency: 8,
      openCases: Number(process.env.BENCH_OPEN_CASES ?? 300),
    });
    const ms = (x: number) => `${x.toFixed(1).padStart(6)} ms`;
    process.stdout.write(
      [
        `case decisions against a bare Update (one insert activity), ${runs} each, interleaved (load average ${loadavg()[0].toFixed(1)}):`,
        `  decide Update        p50 ${ms(f.decision.p50)}   p99 ${ms(f.decision.p99)}`,
        `  bare Update          p50 ${ms(f.bare.p50)}   p99 ${ms(f.bare.p99)}`,
        `  ratio                p50 ${(f.decision.p50 / f.bare.p50).toFixed(2)}   p99 ${(f.decision.p99 / f.bare.p99).toFixed(2)}`,
        ...(f.compared
          ? [
              `  compared build       p50 ${ms(f.compared.decision.p50)}   p99 ${ms(f.compared.decision.p99)}   ratio p50 ${(f.compared.decision.p50 / f.bare.p50).toFixed(2)}   p99 ${(f.compared.decision.p99 / f.bare.p99).toFixed(2)}`,
              `  compared build's applications ${f.compared.applicationsPerSecond.toFixed(1)}/s: ${(f.compared.applicationsPerSecond / f.barePerSecond).toFixed(2)}x the bare`,
            ]
          : []),
        `applications (start + submitted) ${f.applicationsPerSecond.toFixed(1)}/s against bare (start + insert Update) ${f.barePerSecond.toFixed(1)}/s: ` +
          `${(f.applicationsPerSecond / f.barePerSecond).toFixed(2)}x`,
        `worker memory per open case: ${f.mbPerOpenCase.toFixed(3)} MB (resident, ${process.env.BENCH_OPEN_CASES ?? 300} cases opened)`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const s of stop) await s();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const silent = () => undefined;
const quiet = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: (m: string) => process.stderr.write(`${m}\n`) };

/** The cases measured here never reach a payment. */
const unusedBank = new Proxy({} as Parameters<typeof createWorker>[0]['bank'], {
  get: () => () => Promise.reject(new Error('no bank in this benchmark')),
});

if (require.main === module) {
  main().catch((e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  });
}
