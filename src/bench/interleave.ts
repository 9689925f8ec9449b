/** Runs `rounds` rounds of engine and bare, alternating which goes first, so that noise hits both alike. */
export async function interleaved(rounds: number, engine: (round: number) => Promise<void>, bare: (round: number) => Promise<void>): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      await engine(r);
      await bare(r);
    } else {
      await bare(r);
      await engine(r);
    }
  }
}

/** `count` calls of `fn` by `clients` concurrent clients; the seconds it took. */
export async function concurrently(clients: number, count: number, fn: () => Promise<void>): Promise<number> {
  let started = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(clients, count) }, async () => {
      while (started < count) {
        started++;
        await fn();
      }
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
