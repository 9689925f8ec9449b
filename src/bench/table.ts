/** One row of the closing table: what was measured, against what, and whether it met its goal. */
export interface ResultRow {
  what: string;
  engine: string;
  baseline: string;
  ratio: string;
  goal: string;
  pass: boolean;
}

const COLUMNS: [keyof ResultRow, string][] = [
  ['what', 'what'],
  ['engine', 'engine'],
  ['baseline', 'bare baseline'],
  ['ratio', 'ratio'],
  ['goal', 'goal'],
  ['pass', 'pass|FAIL'],
];

/** A plain-text table (aligned columns, readable in any log). */
export function formatTable(rows: ResultRow[]): string {
  const cells = rows.map((r) => COLUMNS.map(([k]) => (k === 'pass' ? (r.pass ? 'pass' : 'FAIL') : String(r[k]))));
  const header = COLUMNS.map(([, h]) => h);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

export const f0 = (v: number) => v.toFixed(0);
export const f1 = (v: number) => v.toFixed(1);
export const f2 = (v: number) => v.toFixed(2);
