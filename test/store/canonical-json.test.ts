import { canonicalJson } from '../../src/store/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
  });
  it('gives the same text for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: 'ü' })).toBe(canonicalJson({ y: 'ü', x: 1 }));
  });
  it('refuses values that JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/cannot encode/);
  });
});
