import type { BareClient, EngineApi } from './clients';
import { apply, type OpenCase } from './engine-cases';
import { concurrently, interleaved } from './interleave';
import { SETTINGS } from './settings';

export interface ApplicationFigures {
  casesPerSec: number;
  barePerSec: number;
  /** The cases and bare runs opened (left open: the decisions and the memory figure use them). */
  cases: OpenCase[];
  bareRuns: string[];
}

/**
 * Applications by concurrent clients: POST /applications (a case starts and records its first
 * step) against its bare shape, a workflow start and an Update running one insert activity.
 * Interleaved rounds; the rate of each side is its applications over its own seconds.
 */
export async function benchApplications(api: EngineApi, bare: BareClient): Promise<ApplicationFigures> {
  const { clients, applicationRounds: rounds, applicationsPerRound: perRound } = SETTINGS;
  const cases: OpenCase[] = [];
  const bareRuns: string[] = [];
  const engineSide = async () => {
    cases.push(await apply(api));
  };
  const bareSide = async () => {
    bareRuns.push(await bare.open());
  };
  await concurrently(clients, clients, engineSide); // warm both (not counted)
  await concurrently(clients, clients, bareSide);
  const seconds = { engine: 0, bare: 0 };
  await interleaved(
    rounds,
    async () => {
      seconds.engine += await concurrently(clients, perRound, engineSide);
    },
    async () => {
      seconds.bare += await concurrently(clients, perRound, bareSide);
    },
  );
  const casesPerSec = (rounds * perRound) / seconds.engine;
  const barePerSec = (rounds * perRound) / seconds.bare;
  process.stdout.write(
    `  applications, ${clients} concurrent clients, ${rounds} rounds of ${perRound} each: engine ${casesPerSec.toFixed(1)} cases/s, bare ${barePerSec.toFixed(1)} wf/s\n`,
  );
  return { casesPerSec, barePerSec, cases, bareRuns };
}
