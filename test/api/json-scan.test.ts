import { z } from 'zod';
import { integerLiteralIssues, markIntegerValuedLiterals } from '../../src/api/http/integer-literals';
import { MAX_JSON_DEPTH, scanJson } from '../../src/api/http/json-scan';

/** The raw-text scan of a JSON body (src/api/http/json-scan.ts): what JSON.parse would take one way silently. */
describe('JSON body scan', () => {
  const paths = (json: string) => scanJson(json).faults.map((f) => f.path);

  it('finds a key given twice in one object, by its path, escaped spellings too', () => {
    expect(paths('{"stage":"village_evaluation","decision":"reject","reason":"x","decision":"approve"}')).toEqual([['decision']]);
    expect(paths('{"a":{"b":1,"\\u0062":2},"c":[{"d":1},{"d":1,"d":2}]}')).toEqual([
      ['a', 'b'],
      ['c', 1, 'd'],
    ]);
    expect(paths('{"a":{"b":1},"b":{"a":1},"list":[{"x":1},{"x":1}]}')).toEqual([]); // the same key in different objects
  });

  it('finds numbers a double cannot hold, where they are', () => {
    expect(paths('{"rows":[1e999]}')).toEqual([['rows', 0]]);
    expect(paths('{"votes":{"present":-1e309}}')).toEqual([['votes', 'present']]);
    expect(paths('{"x":1e308,"y":-1e-999}')).toEqual([]); // large but finite, and an underflow to 0
  });

  it(`stops at nesting deeper than ${MAX_JSON_DEPTH}`, () => {
    expect(paths('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toEqual([]);
    const deep = scanJson('{"a":' + '['.repeat(3000) + ']'.repeat(3000) + '}');
    expect(deep.faults).toEqual([{ path: ['a', ...Array<number>(MAX_JSON_DEPTH - 1).fill(0)], message: expect.stringContaining('64') }]);
  });

  it('lists integer values not written as integer literals, apart from *Fen ones', () => {
    const scan = scanJson('{"age":1.0,"n":1E2,"z":-0,"landMu":1.5,"ok":10,"zero":0,"amountFen":1.0}');
    expect(scan.integerValuedLiterals.map((l) => [l.path, l.source])).toEqual([
      [['age'], '1.0'],
      [['n'], '1E2'],
      [['z'], '-0'],
    ]);
    expect(scan.fenLiterals).toEqual([{ path: ['amountFen'], source: '1.0' }]);
  });

  it('an integer field refuses such a literal, a fractional field takes it, by asking the schema', () => {
    const schema = z.object({ age: z.number().int().min(0).max(150), landMu: z.number().min(0).max(10), items: z.array(z.object({ n: z.int() })) });
    const json = '{"age":150.0,"landMu":1E1,"items":[{"n":1},{"n":-0}]}';
    const body = JSON.parse(json) as unknown;
    markIntegerValuedLiterals(body, scanJson(json).integerValuedLiterals);
    expect(integerLiteralIssues(schema, body).map((i) => i.path)).toEqual([['age'], ['items', 1, 'n']]);
    expect(integerLiteralIssues(schema.shape.items.element, (body as { items: unknown[] }).items[1]).map((i) => i.path)).toEqual([['n']]);
    // A key `__proto__` is a key like any other: the check neither follows nor changes a prototype.
    const proto = '{"__proto__":{"age":1.0},"age":2.0}';
    const parsed = JSON.parse(proto) as unknown;
    markIntegerValuedLiterals(parsed, scanJson(proto).integerValuedLiterals);
    expect(integerLiteralIssues(z.object({ age: z.int(), ['__proto__']: z.object({ age: z.int() }) }), parsed).map((i) => i.path)).toEqual([
      ['__proto__', 'age'],
      ['age'],
    ]);
    expect(({} as { age?: unknown }).age).toBeUndefined();
    // Unmarked (written 150 and 0), the same values pass.
    expect(integerLiteralIssues(schema, JSON.parse('{"age":150,"landMu":10,"items":[{"n":0}]}'))).toEqual([]);
  });
});
