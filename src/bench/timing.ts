/** Timing of one query for the benchmarks: a warm-up call, then `runs` timed calls in a row. */
export async function timeIt(label: string, fn: () => Promise<unknown>, runs: number): Promise<void> {
  await fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  // Nearest rank: with 30 runs p99 is the slowest run, with 100 the second slowest.
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)].toFixed(2).padStart(7);
  process.stdout.write(`  ${label.padEnd(62)} p50 ${pct(0.5)} ms   p95 ${pct(0.95)} ms   p99 ${pct(0.99)} ms\n`);
}
