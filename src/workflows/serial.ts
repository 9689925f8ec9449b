/**
 * Runs workflow steps one at a time, in arrival order. Update handlers interleave at every
 * await; a flag checked with condition() lets two waiters through in the same activation,
 * a promise chain does not. `busy` tells validators a step is being recorded.
 */
export function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  let running = 0;
  return {
    get busy(): boolean {
      return running > 0;
    },
    run<T>(step: () => Promise<T>): Promise<T> {
      running++;
      const result = tail.then(step).finally(() => {
        running--;
      });
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
