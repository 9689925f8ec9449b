import { concurrently, interleaved } from '../../src/bench/interleave';
import { formatTable } from '../../src/bench/table';
import { percentile, percentiles } from '../../src/bench/timing';

/** The benchmark's own arithmetic and report (the figures themselves are printed by `npm run bench`, never asserted). */
describe('bench harness', () => {
  it('takes percentiles by nearest rank', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(ms, 0.5)).toBe(50);
    expect(percentile(ms, 0.99)).toBe(99);
    expect(percentiles([5, 1, 3])).toEqual({ p50: 3, p95: 5, p99: 5 });
  });

  it('alternates which side goes first, round by round', async () => {
    const order: string[] = [];
    await interleaved(
      3,
      async (r) => void order.push(`engine${r}`),
      async (r) => void order.push(`bare${r}`),
    );
    expect(order).toEqual(['engine0', 'bare0', 'bare1', 'engine1', 'engine2', 'bare2']);
  });

  it('makes exactly the number of calls asked, however many clients', async () => {
    let calls = 0;
    await concurrently(20, 7, async () => void calls++);
    expect(calls).toBe(7);
  });

  it('prints an aligned table that names every missed goal FAIL', () => {
    const text = formatTable([
      { what: 'appends', engine: '700 /s', baseline: '7000 /s', ratio: '0.10', goal: '>= 0.5', pass: false },
      { what: 'one decision', engine: '70 ms', baseline: '75 ms', ratio: '0.93', goal: '<= 1.0', pass: true },
    ]);
    const lines = text.split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^\| what +\| engine +\| bare baseline \| ratio \| goal +\| pass\|FAIL \|$/);
    expect(lines[2]).toContain('| FAIL ');
    expect(lines[3]).toContain('| pass ');
  });
});
