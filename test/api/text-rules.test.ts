import { line, prose, textFault } from '../../src/api/contract/text';

/** The one rule for free text (src/api/contract/text.ts), without servers. */
describe('text fields', () => {
  const issues = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.error?.issues ?? []).map((i) => i.message);

  it.each([
    ['a NUL', 'ok\u0000x', /U\+0000\) at position 3/],
    ['a bell', 'ok\u0007', /U\+0007/],
    ['a carriage return', 'line\r\nnext', /U\+000D/],
    ['DEL', 'x\u007f', /U\+007F/],
    ['a C1 control', 'x\u0085', /U\+0085/],
    ['a line separator', 'x\u2028y', /U\+2028/],
    ['a paragraph separator', 'x\u2029y', /U\+2029/],
    ['a lone high surrogate', 'x\ud800', /unpaired surrogate \(U\+D800\) at position 2/],
    ['a lone low surrogate', '\udc00x', /unpaired surrogate \(U\+DC00\) at position 1/],
    ['a reversed pair', '\udc00\ud800', /unpaired surrogate/],
  ])('refuses %s, naming the character, not echoing the text', (_label, input, message) => {
    for (const schema of [line(100), prose(100)]) {
      const messages = issues(schema.safeParse(input));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(message);
    }
  });

  it('lets multi-line texts hold line feeds and tabs, single-line ones neither', () => {
    expect(prose(100).parse('one\n\ttwo')).toBe('one\n\ttwo');
    expect(issues(line(100).safeParse('one\ntwo'))[0]).toMatch(/U\+000A.*single line/);
    expect(issues(line(100).safeParse('one\ttwo'))[0]).toMatch(/U\+0009/);
  });

  it('keeps what was written, NFC-normalised and trimmed; emoji and CJK are fine', () => {
    expect(line(100).parse('  Jose\u0301 ')).toBe('José');
    expect(line(100).parse('\u738b\u82b3 \ud83d\udc04')).toBe('王芳 🐄');
    expect(line(100).parse('\u212b')).toBe('\u00c5'); // ANGSTROM SIGN becomes Å
  });

  it('refuses blank required texts; optional ones may be empty', () => {
    expect(issues(line(100).safeParse(' \u3000 '))).toEqual(['must not be blank']);
    expect(issues(prose(100).safeParse('\n\t'))).toEqual(['must not be blank']);
    expect(prose(100, { optional: true }).parse('  ')).toBe('');
  });

  it('counts characters (code points) after normalisation', () => {
    expect(line(3).parse('🐄🐄🐄')).toBe('🐄🐄🐄');
    expect(issues(line(3).safeParse('🐄🐄🐄🐄'))).toEqual(['at most 3 characters']);
    expect(line(1).parse('e\u0301')).toBe('é'); // two code points in, one after NFC
    expect(issues(prose(2000).safeParse('x'.repeat(2001)))).toEqual(['at most 2000 characters']);
  });

  it('textFault is the same rule, for texts checked outside a schema', () => {
    expect(textFault('plain', false)).toBeUndefined();
    expect(textFault('a\nb', true)).toBeUndefined();
    expect(textFault('a\nb', false)).toMatch(/single line/);
  });
});
