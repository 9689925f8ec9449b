import { startRepeatingJob } from '../../src/worker/repeating-job';

/** A round that stays open until the test lets it end, so order (not timing) is what is checked. */
function gatedRounds() {
  const log: string[] = [];
  const gates: Array<() => void> = [];
  let started = 0;
  const round = () => {
    const n = ++started;
    log.push(`start ${n}`);
    return new Promise<void>((resolve) => gates.push(() => (log.push(`end ${n}`), resolve())));
  };
  const waitForStart = async (n: number) => {
    for (let i = 0; i < 2000 && started < n; i++) await new Promise((r) => setTimeout(r, 5));
    expect(started).toBeGreaterThanOrEqual(n);
  };
  return { log, gates, round, waitForStart, started: () => started };
}

describe("startRepeatingJob (the worker's anchor and contact-watcher rhythms)", () => {
  it('never starts a round while the last is still running, however short the interval', async () => {
    const g = gatedRounds();
    const job = startRepeatingJob(g.round, 1);
    await g.waitForStart(1);
    await new Promise((r) => setTimeout(r, 50)); // many intervals pass with round 1 open
    expect(g.started()).toBe(1);
    g.gates[0]();
    await g.waitForStart(2);
    g.gates[1]();
    await g.waitForStart(3);
    const stopping = job.stop();
    g.gates[2]();
    await stopping;
    expect(g.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('stop() waits for the round in progress, then its clean-up, and no round starts after it', async () => {
    const g = gatedRounds();
    const job = startRepeatingJob(g.round, 1, async () => {
      g.log.push('clean-up');
    });
    await g.waitForStart(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false); // round 1 still open
    g.gates[0]();
    await stopping;
    await new Promise((r) => setTimeout(r, 50));
    expect(g.log).toEqual(['start 1', 'end 1', 'clean-up']);
  });

  it('stops before the first round if asked at once', async () => {
    const g = gatedRounds();
    await startRepeatingJob(g.round, 1).stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(g.started()).toBe(0);
  });
});
