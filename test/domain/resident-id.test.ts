import fc from 'fast-check';
import { ageOn, checkCharacter, checkResidentId, chinaDate, residentIdOf } from '../../src/domain/resident-id';

const NOW = new Date('2026-12-08T02:00:00Z');

describe('checkResidentId (GB 11643-1999)', () => {
  it('accepts a real number and gives its birth date', () => {
    // The example of GB 11643-1999 itself.
    expect(checkResidentId('11010519491231002X', NOW)).toEqual({ ok: true, idNumber: '11010519491231002X', birthDate: '1949-12-31' });
    expect(checkResidentId('440524188001010014', NOW)).toEqual({ ok: false, fault: 'birth_date' }); // born 1880: no one alive
  });

  it('refuses a wrong check digit (the issue: 522701197003156101)', () => {
    expect(checkResidentId('522701197003156101', NOW)).toEqual({ ok: false, fault: 'check_digit' });
    const right = residentIdOf('522701', '1970-03-15', 610);
    expect(right.slice(0, 17)).toBe('52270119700315610');
    expect(checkResidentId(right, NOW).ok).toBe(true);
  });

  it('reads X as ten, and keeps a lowercase x as X', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkResidentId('11010519491231002x', NOW)).toEqual({ ok: true, idNumber: '11010519491231002X', birthDate: '1949-12-31' });
    expect(checkResidentId('110105194912310020', NOW)).toEqual({ ok: false, fault: 'check_digit' });
  });

  it('refuses a birth date that does not exist: month 13, 30 February, 29 February of a common year', () => {
    for (const date of ['20301301', '19900230', '19990229', '19700100', '19700431']) {
      const first17 = `522701${date}001`;
      expect(checkResidentId(first17 + checkCharacter(first17), NOW)).toEqual({ ok: false, fault: 'birth_date' });
    }
    expect(checkResidentId(residentIdOf('522701', '2000-02-29', 1), NOW).ok).toBe(true); // a leap day is real
  });

  it('refuses a birth date after today in China, and takes today', () => {
    expect(checkResidentId(residentIdOf('522701', '2030-01-01', 1), NOW)).toEqual({ ok: false, fault: 'future_birth' });
    expect(checkResidentId(residentIdOf('522701', '2026-12-09', 1), NOW)).toEqual({ ok: false, fault: 'future_birth' });
    expect(checkResidentId(residentIdOf('522701', '2026-12-08', 1), NOW).ok).toBe(true);
    // 2026-12-08T17:00Z is already 9 December in Beijing.
    expect(checkResidentId(residentIdOf('522701', '2026-12-09', 1), new Date('2026-12-08T17:00:00Z')).ok).toBe(true);
  });

  it('refuses a region code outside the provinces', () => {
    for (const region of ['000000', '100000', '190101', '830101', '990101', '520000']) {
      expect(checkResidentId(residentIdOf(region, '1970-01-01', 1), NOW)).toEqual({ ok: false, fault: 'region' });
    }
    for (const region of ['110105', '522701', '650102', '820101']) expect(checkResidentId(residentIdOf(region, '1970-01-01', 1), NOW).ok).toBe(true);
  });

  it('refuses anything not 17 digits and a check character', () => {
    for (const bad of [
      '',
      '123',
      '52270119700315610',
      '5227011970031561011',
      '52270119700315610Y',
      '５２２７０１１９７００３１５６１０X',
      '522701197003156\u000010',
      'X'.repeat(100_000),
    ]) {
      expect(checkResidentId(bad, NOW)).toEqual({ ok: false, fault: 'format' });
    }
  });

  it('one wrong digit anywhere is caught', () => {
    const id = residentIdOf('522701', '1970-03-15', 610);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (at, step) => {
        const changed = id.slice(0, at) + String((Number(id[at]) + step) % 10) + id.slice(at + 1);
        expect(checkResidentId(changed, NOW).ok).toBe(false);
      }),
    );
  });
});

describe('ageOn', () => {
  it('counts whole years to the China date, a birthday counting from its day', () => {
    expect(ageOn('1970-12-08', NOW)).toBe(56);
    expect(ageOn('1970-12-09', NOW)).toBe(55);
    expect(ageOn('1970-12-09', new Date('2026-12-08T16:00:00Z'))).toBe(56); // midnight in Beijing
    expect(ageOn('2000-02-29', new Date('2027-02-28T04:00:00Z'))).toBe(26);
    expect(ageOn('2000-02-29', new Date('2027-03-01T04:00:00Z'))).toBe(27);
    expect(chinaDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});
