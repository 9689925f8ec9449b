import { readFileSync } from 'node:fs';
import type { BareClient, EngineApi } from './clients';
import { apply } from './engine-cases';
import { concurrently } from './interleave';
import { SETTINGS } from './settings';

/** A process's resident memory in MB (VmRSS of /proc/<pid>/status; Linux). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/**
 * What an open case costs its worker: each worker's RSS before and after opening N more cases
 * (BENCH_OPEN_CASES) and N more bare runs, after the other phases have warmed both, in
 * alternating chunks; the marginal MB per open case (or run).
 */
export async function benchMemory(
  api: EngineApi,
  bare: BareClient,
  pids: { engine: number; bare: number },
): Promise<{ enginePerCase: number; barePerRun: number }> {
  const n = SETTINGS.openCases;
  const before = { engine: rssMb(pids.engine), bare: rssMb(pids.bare) };
  const chunk = 100;
  const started = Date.now();
  for (let opened = 0; opened < n; opened += chunk) {
    const count = Math.min(chunk, n - opened);
    await concurrently(SETTINGS.clients, count, async () => void (await apply(api)));
    await concurrently(SETTINGS.clients, count, async () => void (await bare.open()));
  }
  await new Promise((r) => setTimeout(r, 5000)); // let both settle (pending GC, freed buffers)
  const after = { engine: rssMb(pids.engine), bare: rssMb(pids.bare) };
  const enginePerCase = (after.engine - before.engine) / n;
  const barePerRun = (after.bare - before.bare) / n;
  process.stdout.write(
    `  memory, ${n} more open each (${((Date.now() - started) / 1000).toFixed(0)} s): engine worker RSS ${before.engine.toFixed(0)} → ${after.engine.toFixed(0)} MB ` +
      `(${enginePerCase.toFixed(3)} MB per case), bare worker ${before.bare.toFixed(0)} → ${after.bare.toFixed(0)} MB (${barePerRun.toFixed(3)} MB per run)\n`,
  );
  return { enginePerCase, barePerRun };
}
