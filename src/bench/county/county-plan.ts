/**
 * The seed county of DOMAIN.md ("102 poor villages, 13,634 poor households"), made up
 * deterministically for the county run: its jurisdictions, the officials who act in it, and
 * its households as intake rows. Pure: the same numbers give the same county.
 */
import { nthResidentId } from '../../domain/resident-id';
import type { JurisdictionRecord } from '../../directory/directory';
import { HEALTH, POVERTY_CAUSES, type HouseholdEntry } from '../../domain/household';
import type { Role } from '../../domain/roles';

export const COUNTY_CODE = '522701';
export const SEED_VILLAGES = 102;
export const SEED_HOUSEHOLDS = 13_634;
/** Villages per town: 102 villages in 12 towns, as a county of that size has. */
const TOWNS = 12;

export interface CountyOfficial {
  userId: string;
  name: string;
  role: Role;
  jurisdiction: string;
}

export interface CountyPlan {
  jurisdictions: JurisdictionRecord[];
  towns: string[];
  villages: { code: string; town: string; households: number }[];
  officials: CountyOfficial[];
  /** The official who acts for each jurisdiction code (village assembly, town audit, county approval). */
  actorFor: (jurisdiction: string) => string;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '罗', '龙', '石'];
const GIVEN = ['芳', '强', '敏', '华', '军', '英', '明', '秀', '兰', '平', '刚', '丽', '勇', '梅', '林', '红', '国', '文', '春', '霞'];
const VILLAGE_NAMES = ['石板', '杨柳', '白云', '黄泥', '青山', '龙潭', '松林', '水口', '桃源', '高坡', '河湾', '新寨'];
const TOWN_NAMES = ['和平', '东风', '红旗', '新华', '光明', '团结', '胜利', '前进', '民主', '太平', '长安', '永安'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Splits `total` as evenly as possible into `parts` (the first ones get the remainder). */
function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

export function countyPlan(villageCount = SEED_VILLAGES, householdCount = SEED_HOUSEHOLDS): CountyPlan {
  const townCount = Math.min(TOWNS, villageCount);
  const towns = Array.from({ length: townCount }, (_, t) => `${COUNTY_CODE}${pad(101 + t, 3)}`);
  const perTown = spread(villageCount, townCount);
  const perVillage = spread(householdCount, villageCount);
  const villages: CountyPlan['villages'] = [];
  towns.forEach((town, t) => {
    for (let v = 0; v < perTown[t]; v++) villages.push({ code: `${town}${pad(201 + v, 3)}`, town, households: perVillage[villages.length] });
  });
  const jurisdictions: JurisdictionRecord[] = [
    { code: COUNTY_CODE, name: '青山县 Qingshan County', level: 'county' },
    ...towns.map((code, t) => ({ code, name: `${TOWN_NAMES[t % TOWN_NAMES.length]}镇`, level: 'town' as const, parentCode: COUNTY_CODE })),
    ...villages.map((v, i) => ({
      code: v.code,
      name: `${VILLAGE_NAMES[i % VILLAGE_NAMES.length]}${Math.floor(i / VILLAGE_NAMES.length) + 1}村`,
      level: 'village' as const,
      parentCode: v.town,
    })),
  ];
  const officials: CountyOfficial[] = [
    { userId: 'county-run-county', name: '县扶贫办', role: 'county_official', jurisdiction: COUNTY_CODE },
    { userId: 'county-run-supervisor', name: '县督查室', role: 'supervisor', jurisdiction: COUNTY_CODE },
    ...towns.map((code) => ({ userId: `county-run-town-${code}`, name: '乡镇扶贫工作站', role: 'town_official' as const, jurisdiction: code })),
    ...villages.map((v) => ({ userId: `county-run-village-${v.code}`, name: '村委会', role: 'village_official' as const, jurisdiction: v.code })),
  ];
  const actorFor = (code: string) =>
    code === COUNTY_CODE ? 'county-run-county' : code.length === 9 ? `county-run-town-${code}` : `county-run-village-${code}`;
  return { jurisdictions, towns, villages, officials, actorFor };
}

/**
 * The households of one village as intake rows. ID numbers are unique across the county
 * (village index and household index), shaped as the API expects (17 digits and a check
 * character); they belong to nobody.
 */
export function villageHouseholds(villageIndex: number, count: number): HouseholdEntry[] {
  return Array.from({ length: count }, (_, h) => {
    const n = villageIndex * 1000 + h;
    const surname = SURNAMES[n % SURNAMES.length];
    const members: HouseholdEntry['members'] = [
      {
        name: `${surname}${GIVEN[n % GIVEN.length]}`,
        relation: 'head',
        idNumber: nthResidentId(COUNTY_CODE, 2 * n),
        ableToWork: n % 3 !== 0,
        health: HEALTH[n % HEALTH.length],
      },
    ];
    if (n % 2 === 0)
      members.push({
        name: `${SURNAMES[(n + 7) % SURNAMES.length]}${GIVEN[(n + 3) % GIVEN.length]}`,
        relation: 'spouse',
        idNumber: nthResidentId(COUNTY_CODE, 2 * n + 1),
        ableToWork: true,
        health: 'healthy',
      });
    return {
      members,
      annualIncomeFen: 150_000 + (n % 200) * 1_000,
      housingGrade: (['B', 'C', 'D'] as const)[n % 3],
      primaryCause: POVERTY_CAUSES[n % POVERTY_CAUSES.length],
      secondaryCauses: [],
      requestedHelp: '申请产业帮扶（养牛一头）',
      bankAccount: { bank: '农村信用社', accountNumber: `62284800${pad(n, 8)}` },
    };
  });
}
