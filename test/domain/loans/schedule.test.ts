import { addMonths, daysBetween } from '../../../src/domain/loans/calendar';
import { deferSchedule, scheduleFor, validateTerms } from '../../../src/domain/loans/schedule';
import type { LoanTerms } from '../../../src/domain/loans/terms';
import { refusal, seedTerms } from './fixtures';

describe('a loan schedule', () => {
  it('the seed: 1,100 yuan paid on 10 March 2026 is half due on 31 December 2026 and half a year later', () => {
    expect(scheduleFor(seedTerms(), 110_000, '2026-03-10')).toEqual([
      { n: 1, dueDate: '2026-12-31', amountFen: 55_000 },
      { n: 2, dueDate: '2027-12-31', amountFen: 55_000 },
    ]);
  });

  it('a payout on or after the first year-end date moves the plan a year on, never two instalments on one day', () => {
    expect(scheduleFor(seedTerms(), 110_000, '2026-12-31').map((s) => s.dueDate)).toEqual(['2027-12-31', '2028-12-31']);
    expect(scheduleFor(seedTerms(), 110_000, '2026-12-30').map((s) => s.dueDate)).toEqual(['2026-12-31', '2027-12-31']);
  });

  it('adds the fen lost to rounding to the last instalment to fall due', () => {
    const thirds = seedTerms({
      instalments: [
        { shareBp: 3333, due: { kind: 'months', months: 4 } },
        { shareBp: 3333, due: { kind: 'months', months: 8 } },
        { shareBp: 3334, due: { kind: 'months', months: 12 } },
      ],
    });
    const s = scheduleFor(thirds, 100_001, '2026-01-15');
    expect(s.map((i) => i.amountFen)).toEqual([33_330, 33_330, 33_341]);
    expect(s.reduce((sum, i) => sum + i.amountFen, 0)).toBe(100_001);
    expect(scheduleFor(seedTerms(), 110_001, '2026-03-10').map((i) => i.amountFen)).toEqual([55_000, 55_001]);
  });

  it("clamps a 'months' rule to the end of a shorter month", () => {
    const monthly = seedTerms({
      instalments: [
        { shareBp: 5000, due: { kind: 'months', months: 1 } },
        { shareBp: 5000, due: { kind: 'months', months: 13 } },
      ],
    });
    expect(scheduleFor(monthly, 110_000, '2026-01-31').map((s) => s.dueDate)).toEqual(['2026-02-28', '2027-02-28']);
    expect(scheduleFor(monthly, 110_000, '2027-01-31').map((s) => s.dueDate)).toEqual(['2027-02-28', '2028-02-29']);
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-31', '2027-03-01')).toBe(60);
  });

  it('a deferral moves only the instalments not yet wholly repaid', () => {
    const s = scheduleFor(seedTerms(), 110_000, '2026-03-10');
    expect(deferSchedule(s, 55_000, 6)).toEqual([
      { n: 1, dueDate: '2026-12-31', amountFen: 55_000 },
      { n: 2, dueDate: '2028-06-30', amountFen: 55_000 },
    ]);
    expect(deferSchedule(s, 20_000, 3).map((i) => i.dueDate)).toEqual(['2027-03-31', '2028-03-31']);
  });
});

describe('the validation of terms', () => {
  const message = (over: Partial<LoanTerms>) => refusal(() => validateTerms(seedTerms(over))).message;
  const with2 = (second: LoanTerms['instalments'][number]): Partial<LoanTerms> => ({
    instalments: [{ shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 0 } }, second],
  });

  it('accepts the seed terms', () => {
    expect(() => validateTerms(seedTerms())).not.toThrow();
  });

  it.each([
    ['amount 0', { amountFen: 0 }, /^terms\.amountFen /],
    ['amount not whole', { amountFen: 1100.5 }, /^terms\.amountFen /],
    ['no instalments', { instalments: [] }, /^terms\.instalments must list 1 to 12/],
    ['shares 9999', with2({ shareBp: 4999, due: { kind: 'date', month: 12, day: 31, yearOffset: 1 } }), /^terms\.instalments shares add up to 9999/],
    ['share 0', with2({ shareBp: 0, due: { kind: 'date', month: 12, day: 31, yearOffset: 1 } }), /^terms\.instalments\[1\]\.shareBp /],
    ['month 13', with2({ shareBp: 5000, due: { kind: 'date', month: 13, day: 1, yearOffset: 1 } }), /^terms\.instalments\[1\]\.due\.month /],
    [
      '31 April',
      with2({ shareBp: 5000, due: { kind: 'date', month: 4, day: 31, yearOffset: 1 } }),
      /^terms\.instalments\[1\]\.due\.day must be a day of month 4/,
    ],
    ['yearOffset 11', with2({ shareBp: 5000, due: { kind: 'date', month: 12, day: 31, yearOffset: 11 } }), /^terms\.instalments\[1\]\.due\.yearOffset /],
    ['121 months', with2({ shareBp: 5000, due: { kind: 'months', months: 121 } }), /^terms\.instalments\[1\]\.due\.months /],
    [
      'out of order',
      with2({ shareBp: 5000, due: { kind: 'date', month: 6, day: 30, yearOffset: 0 } }),
      /^terms\.instalments\[1\]\.due falls on .* not after instalment 1/,
    ],
    ['grace 366 days', { graceDays: 366 }, /^terms\.graceDays /],
    ['hash not sha256', { agreement: { version: 1, text: 'x', hash: 'abc' } }, /^terms\.agreement\.hash /],
    ['empty text', { agreement: { version: 1, text: ' ', hash: 'a'.repeat(64) } }, /^terms\.agreement\.text /],
  ] as [string, Partial<LoanTerms>, RegExp][])('refuses terms with %s, naming the field', (_label, over, pattern) => {
    expect(message(over)).toMatch(pattern);
    expect(refusal(() => validateTerms(seedTerms(over))).code).toBe('invalid');
  });

  it('refuses what is not terms at all without a TypeError', () => {
    expect(refusal(() => validateTerms(null as unknown as LoanTerms)).message).toMatch(/^terms /);
    expect(refusal(() => validateTerms(seedTerms({ instalments: [null] as unknown as LoanTerms['instalments'] }))).message).toMatch(
      /^terms\.instalments\[0\] /,
    );
  });

  it('accepts 29 February (the 28th in a common year)', () => {
    const leap = seedTerms(with2({ shareBp: 5000, due: { kind: 'date', month: 2, day: 29, yearOffset: 2 } }) as Partial<LoanTerms>);
    expect(() => validateTerms(leap)).not.toThrow();
    expect(scheduleFor(leap, 110_000, '2026-03-10').map((s) => s.dueDate)).toEqual(['2026-12-31', '2028-02-29']);
    expect(scheduleFor(leap, 110_000, '2027-03-10').map((s) => s.dueDate)).toEqual(['2027-12-31', '2029-02-28']);
  });
});
