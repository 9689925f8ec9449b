import { DomainError } from '../../src/domain/errors';
import { MAX_DURATION_MS, addDuration, durationMs, parseDuration } from '../../src/domain/time';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('durationMs', () => {
  it.each([
    ['P7D', 7 * DAY],
    ['P15D', 15 * DAY],
    ['PT30S', 30 * SECOND],
    ['P1DT2H', DAY + 2 * HOUR],
    ['PT1H30M', HOUR + 30 * MINUTE],
    ['PT90M', 90 * MINUTE],
    ['P2DT3H4M5S', 2 * DAY + 3 * HOUR + 4 * MINUTE + 5 * SECOND],
    ['PT1.5S', 1500],
    ['P0D', 0],
  ])('%s is %d ms', (iso, ms) => {
    expect(durationMs(iso)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '7D', 'P1W', 'P1M', 'P1Y', 'P1.5D', 'pt30s', ' P7D', 'P7D ', 'PT30', 'P-1D', 'P1H', 'T30S', 'P7DT30'])(
    'throws on %p',
    (iso) => {
      expect(() => durationMs(iso)).toThrow(/not an ISO 8601 duration/);
    },
  );
});

describe('addDuration', () => {
  it('adds days, hours and seconds to an instant', () => {
    expect(addDuration('2026-01-01T00:00:00.000Z', 'P7D')).toBe('2026-01-08T00:00:00.000Z');
    expect(addDuration('2026-01-01T00:00:00.000Z', 'PT30S')).toBe('2026-01-01T00:00:30.000Z');
    expect(addDuration('2026-01-01T00:00:00.000Z', 'P1DT2H')).toBe('2026-01-02T02:00:00.000Z');
  });

  it('crosses month and year ends and leap days', () => {
    expect(addDuration('2026-12-28T12:00:00.000Z', 'P7D')).toBe('2027-01-04T12:00:00.000Z');
    expect(addDuration('2028-02-28T00:00:00.000Z', 'P1D')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('normalises an offset to UTC', () => {
    expect(addDuration('2026-01-01T08:00:00+08:00', 'PT30S')).toBe('2026-01-01T00:00:30.000Z');
  });

  it('throws on an invalid duration', () => {
    expect(() => addDuration('2026-01-01T00:00:00.000Z', 'seven days')).toThrow(/not an ISO 8601 duration/);
    expect(() => addDuration('2026-01-01T00:00:00.000Z', 'P')).toThrow();
  });

  it('throws on an invalid instant', () => {
    expect(() => addDuration('not a date', 'P7D')).toThrow(RangeError);
  });
});

describe('durations beyond any rule (issue #8)', () => {
  it.each(['P99999999999D', `P${'9'.repeat(400)}D`, 'PT99999999999999H', 'P36601D'])(
    '%s is not a usable duration: undefined, and a DomainError, never a RangeError',
    (iso) => {
      expect(parseDuration(iso)).toBeUndefined();
      expect(() => durationMs(iso)).toThrow(DomainError);
      expect(() => addDuration('2026-01-01T00:00:00.000Z', iso)).toThrow(DomainError);
    },
  );

  it('takes up to 100 years', () => {
    expect(parseDuration('P36600D')).toBe(MAX_DURATION_MS);
    expect(addDuration('2026-01-01T00:00:00.000Z', 'P36600D')).toBe('2126-03-18T00:00:00.000Z');
  });
});
