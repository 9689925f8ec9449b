// The kinds of fault `npm run fault` can inject beside its disbursement run (FAULT_SCENARIO):
//   worker    SIGKILL the worker at random and restart it (the default; see the chaos loop)
//   api       SIGKILL the API at random during the burst while clients retry with their keys
//   postgres  restart Postgres (stop, pause, start on the same data) during the burst
//   bank      kill the bank and keep it down for FAULT_BANK_DOWN_MS (60 s) before restarting it
//   temporal  restart the Temporal dev server on its persistent database file during the burst
// Each scenario is a loop of "wait, break something, wait, mend it", stopped with the burst; it
// counts its faults and the time the broken part was down.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const SCENARIOS = ['worker', 'api', 'postgres', 'bank', 'temporal'];

/**
 * A loop that breaks and mends one part while the run goes on. `breakIt` and `mendIt` are async;
 * `upEvery` and `downFor` give each cycle's wait before the fault and the down time, in ms;
 * `times` caps the number of faults. A stop request never interrupts a fault half-way: what was
 * broken is always mended.
 */
/** A sleep that `wake()` ends at once, so a fault loop stops without waiting out its pause. */
export function interruptibleSleep() {
  let wakeSleeper = () => {};
  return {
    nap: (ms) =>
      new Promise((r) => {
        const t = setTimeout(r, ms);
        wakeSleeper = () => {
          clearTimeout(t);
          r();
        };
      }),
    wake: () => wakeSleeper(),
  };
}

export function faultLoop({ name, times = Infinity, upEvery, downFor, breakIt, mendIt, log }) {
  let stopRequested = false;
  const { nap, wake } = interruptibleSleep();
  let loop = Promise.resolve();
  const figures = { name, faults: 0, downMs: 0, lastFaultAt: null, lastMendedAt: null };
  return {
    figures,
    start() {
      loop = (async () => {
        while (!stopRequested && figures.faults < times) {
          await nap(upEvery());
          if (stopRequested) break;
          const at = Date.now();
          figures.faults++;
          figures.lastFaultAt = at;
          await breakIt();
          const down = downFor();
          log(`${name}: fault ${figures.faults}, down for ${(down / 1000).toFixed(1)} s`);
          await sleep(down);
          await mendIt();
          figures.lastMendedAt = Date.now();
          figures.downMs += figures.lastMendedAt - at;
        }
      })();
    },
    async stop() {
      stopRequested = true;
      wake();
      await loop;
    },
  };
}
