import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

/** What SQL looks like in our code: a statement's keywords, or a call that runs one. */
const SQL: [name: string, pattern: RegExp][] = [
  ['SELECT … FROM', /\bSELECT\b[\s\S]{0,400}?\bFROM\b/],
  ['INSERT INTO', /\bINSERT\s+INTO\b/],
  ['UPDATE … SET', /\bUPDATE\s+[a-z_]+\s+SET\b/],
  ['DELETE FROM', /\bDELETE\s+FROM\b/],
  ['a transaction statement', /['"`]\s*(BEGIN|COMMIT|ROLLBACK)\b/],
  ['.query(', /\.query\s*[<(]/],
];

/**
 * Service files still allowed to hold SQL, each for a stated reason. The test fails when one of
 * them no longer does, so that the list only shrinks.
 */
const NOT_YET: Record<string, string> = {};

function sqlIn(text: string): string[] {
  return SQL.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

function serviceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return serviceFiles(path);
    return d.name.endsWith('.service.ts') ? [relative(root, path).split('\\').join('/')] : [];
  });
}

/** Issue #9 item 3: services keep access rules and orchestration; reads live beside their projections (src/store). */
describe('service files', () => {
  const files = serviceFiles(join(root, 'src'));
  const found = Object.fromEntries(files.map((f) => [f, sqlIn(readFileSync(join(root, f), 'utf8'))]));

  it('are found (the search looks where the services are)', () => {
    expect(files).toEqual(expect.arrayContaining(['src/api/cases/cases.service.ts', 'src/api/tasks/tasks.service.ts', 'src/api/funds/funds.service.ts']));
  });

  it('contain no SQL', () => {
    const offenders = Object.entries(found)
      .filter(([f, kinds]) => kinds.length > 0 && !(f in NOT_YET))
      .map(([f, kinds]) => `${f}: ${kinds.join(', ')}`);
    expect(offenders).toEqual([]);
  });

  it('leave the list of exceptions once they hold no SQL', () => {
    const clean = Object.keys(NOT_YET).filter((f) => !found[f]?.length);
    expect(clean).toEqual([]);
  });

  it('would be caught holding SQL of any kind', () => {
    expect(sqlIn("const r = await this.pool.query('SELECT 1')")).toEqual(['.query(']);
    expect(sqlIn('`SELECT state\n   FROM cases WHERE case_id = $1`')).toEqual(['SELECT … FROM']);
    expect(sqlIn("'INSERT INTO tasks (task_id) VALUES ($1)'")).toEqual(['INSERT INTO']);
    expect(sqlIn("'UPDATE tasks SET holder = $2'")).toEqual(['UPDATE … SET']);
    expect(sqlIn("'DELETE FROM tasks'")).toEqual(['DELETE FROM']);
    expect(sqlIn("await client.query('BEGIN')")).toEqual(['a transaction statement', '.query(']);
    expect(sqlIn('return findCase(this.pool, caseId); // select the case from the read model')).toEqual([]);
  });
});
