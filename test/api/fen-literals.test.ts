import { nonIntegerFenLiterals } from '../../src/api/http/fen-literals';

/** The raw-body scan behind "money is integer fen, never a float" (src/api/http/fen-literals.ts). */
describe('*Fen number literals', () => {
  it.each(['1.0', '100.00', '1e3', '1E3', '1.5e2', '-0.0', '-0', '1e-2', '12.50'])('finds %s', (literal) => {
    expect(nonIntegerFenLiterals(`{"amountFen":${literal},"source":"budget"}`)).toEqual([{ path: ['amountFen'], source: literal }]);
  });

  it('passes integer literals and numbers under other keys', () => {
    expect(nonIntegerFenLiterals('{"amountFen":100,"landMu":1.5,"age":56.0,"x":{"fen":1.0},"feN":2.0}')).toEqual([]);
  });

  it('names the path through objects and arrays, an intake row or a receipt', () => {
    const json =
      '{"village":"522701101201","rows":[{"annualIncomeFen":1},{"members":[],"annualIncomeFen": 2.0e5}],' +
      '"payee":{"receipt":{"amountFen":5.5}},"bankAmountsFen":[1,2.5]}';
    expect(nonIntegerFenLiterals(json)).toEqual([
      { path: ['rows', 1, 'annualIncomeFen'], source: '2.0e5' },
      { path: ['payee', 'receipt', 'amountFen'], source: '5.5' },
      { path: ['bankAmountsFen', 1], source: '2.5' },
    ]);
  });

  it('reads escaped keys as JSON.parse does, and ignores text inside strings', () => {
    expect(nonIntegerFenLiterals('{"amount\\u0046en":1.0}')).toEqual([{ path: ['amountFen'], source: '1.0' }]);
    expect(nonIntegerFenLiterals('{"reason":"amountFen\\": 1.0, \\\\","amountFen":7}')).toEqual([]);
  });

  it('does not throw on malformed JSON (JSON.parse refuses it next)', () => {
    for (const bad of ['{"amountFen":1.0', '{"amountFen":', '{"a', ']]]}}', '{"amountFen":-}', '1.0']) {
      expect(() => nonIntegerFenLiterals(bad)).not.toThrow();
    }
  });
});
