import { levelOf } from '../../src/domain/jurisdiction';
import { ROLE_LEVELS, actsWithin, misplacement, placeFits } from '../../src/domain/role-levels';
import { ROLES } from '../../src/domain/roles';
import { DEMO_USERS } from '../../src/directory/demo-directory';

const COUNTY = '522701';
const TOWN = '522701101';
const VILLAGE = '522701101201';
const OTHER_VILLAGE = '522701102201';

describe('role levels: a role is held only at its level', () => {
  it('names a level for every role, and village, town and county roles only at their own', () => {
    expect(Object.keys(ROLE_LEVELS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(ROLE_LEVELS[role].length).toBeGreaterThan(0);
    expect([COUNTY, TOWN, VILLAGE].filter((c) => placeFits('village_official', c))).toEqual([VILLAGE]);
    expect([COUNTY, TOWN, VILLAGE].filter((c) => placeFits('applicant', c))).toEqual([VILLAGE]);
    expect([COUNTY, TOWN, VILLAGE].filter((c) => placeFits('town_official', c))).toEqual([TOWN]);
    expect([COUNTY, TOWN, VILLAGE].filter((c) => placeFits('county_official', c))).toEqual([COUNTY]);
    expect([COUNTY, TOWN, VILLAGE].filter((c) => placeFits('administrator', c))).toEqual([COUNTY, TOWN]);
    expect([COUNTY, TOWN, VILLAGE].filter((c) => placeFits('supervisor', c))).toEqual([COUNTY, TOWN]);
  });

  it('fits no role to a code of no level', () => {
    for (const role of ROLES) for (const code of ['', '52270', '5227011', 'x'.repeat(12), '522701\u0000101']) expect(placeFits(role, code)).toBe(false);
  });

  it('says why in Chinese first, then English, and nothing when it fits', () => {
    expect(misplacement('village_official', COUNTY)).toBe(
      '角色 village_official 只能设在村级行政区划 (the role village_official is held only at a village jurisdiction)',
    );
    expect(misplacement('administrator', VILLAGE)).toContain('county or town');
    expect(misplacement('town_official', TOWN)).toBeUndefined();
  });

  it('lets an actor act within its place only when its role is held there', () => {
    expect(actsWithin({ role: 'village_official', jurisdiction: VILLAGE }, VILLAGE)).toBe(true);
    expect(actsWithin({ role: 'village_official', jurisdiction: VILLAGE }, OTHER_VILLAGE)).toBe(false);
    // Containment alone would let a county-level village official act on every village.
    expect(actsWithin({ role: 'village_official', jurisdiction: COUNTY }, VILLAGE)).toBe(false);
    expect(actsWithin({ role: 'town_official', jurisdiction: TOWN }, VILLAGE)).toBe(true);
    expect(actsWithin({ role: 'town_official', jurisdiction: VILLAGE }, VILLAGE)).toBe(false);
    expect(actsWithin({ role: 'county_official', jurisdiction: COUNTY }, VILLAGE)).toBe(true);
  });

  it('holds every demo user to the rule', () => {
    const misplaced = DEMO_USERS.filter((u) => !placeFits(u.role, u.jurisdiction)).map((u) => u.userId);
    expect(misplaced).toEqual([]);
    expect(DEMO_USERS.every((u) => levelOf(u.jurisdiction) !== undefined)).toBe(true);
  });
});
