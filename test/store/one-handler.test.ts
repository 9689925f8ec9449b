import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '../../src');

/** Where EventStore.append may be called: the handler, and the store's benchmarks (they measure the raw append). */
const ALLOWED = new Set(['store/handle.ts', 'store/event-store.ts', 'bench/run-bench.ts', 'bench/append-vs-insert.ts', 'bench/projector-costs.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

describe('one command handler', () => {
  it('is the only caller of EventStore.append in src (every stream goes through a decider)', () => {
    const callers = sourceFiles(SRC)
      .map((f) => relative(SRC, f).split('\\').join('/'))
      .filter((f) => !ALLOWED.has(f) && /\.append\s*\(/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(callers).toEqual([]);
  });

  it('finds a caller when there is one (the check can fail)', () => {
    expect(/\.append\s*\(/.test('await this.store.append(id, "fund", "any", events)')).toBe(true);
    expect(sourceFiles(SRC).length).toBeGreaterThan(50);
  });
});
