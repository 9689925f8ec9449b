/** Timing for the benchmarks: nearest-rank percentiles of timed calls. */

/** Nearest rank: with 30 samples p99 is the slowest, with 100 the second slowest. */
export function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(p * sortedMs.length) - 1))];
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export function percentiles(ms: number[]): Percentiles {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p95: percentile(s, 0.95), p99: percentile(s, 0.99) };
}

/** A warm-up call, then `runs` timed calls in a row; prints one line and returns the percentiles. */
export async function timeIt(label: string, fn: () => Promise<unknown>, runs: number): Promise<Percentiles> {
  await fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(await timed(fn));
  const p = percentiles(ms);
  const f = (v: number) => v.toFixed(2).padStart(7);
  process.stdout.write(`  ${label.padEnd(62)} p50 ${f(p.p50)} ms   p95 ${f(p.p95)} ms   p99 ${f(p.p99)} ms\n`);
  return p;
}
