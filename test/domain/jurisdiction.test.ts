import { CODE_LENGTH, contains, levelOf, locationOf } from '../../src/domain/jurisdiction';
import { COUNTY, OTHER_TOWN, OTHER_VILLAGE, TOWN, VILLAGE } from '../support/fixtures';

describe('levelOf', () => {
  it('knows counties (6 digits), towns (9) and villages (12)', () => {
    expect(CODE_LENGTH).toEqual({ county: 6, town: 9, village: 12 });
    expect(levelOf(COUNTY)).toBe('county');
    expect(levelOf(TOWN)).toBe('town');
    expect(levelOf(VILLAGE)).toBe('village');
  });

  it.each(['', '52270', '5227011', '52270110120', '5227011012011', '52270a', '522701 ', '-52270', '５２２７０１'])('gives undefined for %p', (code) => {
    expect(levelOf(code)).toBeUndefined();
  });
});

describe('contains', () => {
  it('is true for a code itself and anything within it', () => {
    expect(contains(COUNTY, COUNTY)).toBe(true);
    expect(contains(COUNTY, TOWN)).toBe(true);
    expect(contains(COUNTY, VILLAGE)).toBe(true);
    expect(contains(TOWN, VILLAGE)).toBe(true);
    expect(contains(TOWN, OTHER_VILLAGE)).toBe(true);
    expect(contains(VILLAGE, VILLAGE)).toBe(true);
  });

  it('is false for siblings and for anything outside', () => {
    expect(contains(VILLAGE, OTHER_VILLAGE)).toBe(false);
    expect(contains(OTHER_TOWN, VILLAGE)).toBe(false);
    expect(contains('522702', VILLAGE)).toBe(false);
  });

  it('is false upwards: a village does not contain its town', () => {
    expect(contains(VILLAGE, TOWN)).toBe(false);
    expect(contains(TOWN, COUNTY)).toBe(false);
  });

  it('is false when the outer code is not a jurisdiction code', () => {
    expect(contains('', VILLAGE)).toBe(false);
    expect(contains('5227', VILLAGE)).toBe(false);
    expect(contains('5227011', VILLAGE)).toBe(false);
    expect(contains('abcdef', 'abcdef123')).toBe(false);
  });
});

describe('locationOf', () => {
  it('splits a village code into county, town and village', () => {
    expect(locationOf(VILLAGE)).toEqual({ county: COUNTY, town: TOWN, village: VILLAGE });
    expect(locationOf(OTHER_VILLAGE)).toEqual({ county: COUNTY, town: TOWN, village: OTHER_VILLAGE });
  });

  it.each([COUNTY, TOWN, '', '52270110120x', '5227011012011'])('throws for %p', (code) => {
    expect(() => locationOf(code)).toThrow(/not a village code/);
  });
});
