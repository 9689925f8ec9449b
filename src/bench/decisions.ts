import type { BareClient, EngineApi } from './clients';
import { decide, type OpenCase } from './engine-cases';
import { interleaved } from './interleave';
import { SETTINGS } from './settings';
import { percentiles, timed, type Percentiles } from './timing';

/**
 * One decision at a time: POST /cases/{id}/decisions (the case's workflow runs its step
 * through an Update) against its bare shape, an Update whose handler runs one activity
 * inserting one row. Interleaved rounds of sequential calls; each case is decided once.
 */
export async function benchDecisions(
  api: EngineApi,
  bare: BareClient,
  cases: OpenCase[],
  bareRuns: string[],
): Promise<{ engine: Percentiles; bare: Percentiles }> {
  const { decisionRounds: rounds, decisionsPerRound: perRound } = SETTINGS;
  if (cases.length < rounds * perRound + 1) throw new Error(`decisions need ${rounds * perRound + 1} open cases, the applications made ${cases.length}`);
  const toDecide = [...cases];
  const ms = { engine: [] as number[], bare: [] as number[] };
  let nextBare = 0;
  const bareRun = () => bareRuns[nextBare++ % bareRuns.length];
  await decide(api, toDecide.pop() as OpenCase); // warm both
  await bare.act(bareRun());
  await interleaved(
    rounds,
    async () => {
      for (let i = 0; i < perRound; i++) {
        const c = toDecide.pop() as OpenCase;
        ms.engine.push(await timed(() => decide(api, c)));
      }
    },
    async () => {
      for (let i = 0; i < perRound; i++) {
        const id = bareRun();
        ms.bare.push(await timed(() => bare.act(id)));
      }
    },
  );
  const engine = percentiles(ms.engine);
  const bareP = percentiles(ms.bare);
  process.stdout.write(
    `  decisions, sequential, ${rounds} rounds of ${perRound}: engine p50 ${engine.p50.toFixed(0)} / p99 ${engine.p99.toFixed(0)} ms, ` +
      `bare p50 ${bareP.p50.toFixed(0)} / p99 ${bareP.p99.toFixed(0)} ms\n`,
  );
  return { engine, bare: bareP };
}
