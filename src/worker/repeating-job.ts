export interface RepeatingJob {
  /** Waits for a round in progress, then stops; no round starts after it. */
  stop(): Promise<void>;
}

/**
 * Runs `round` now and then every `intervalMs` after the last one ended, never two at once, so a
 * slow round (a large store, a loaded machine) delays the next instead of piling up beside it.
 * `round` handles its own failures: one that throws would end the rhythm, so it must not.
 */
export function startRepeatingJob(round: () => Promise<void>, intervalMs: number, onStop?: () => Promise<void>): RepeatingJob {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(() => schedule(intervalMs));
    }, delay);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await onStop?.();
    },
  };
}
