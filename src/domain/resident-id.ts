/**
 * The resident ID number of GB 11643-1999: six digits of the region where it was issued, eight
 * of the birth date (YYYYMMDD), three of sequence (odd for men, even for women) and a check
 * character, ISO 7064 MOD 11-2 over the first seventeen (0–9, or X for ten). A number that fails
 * any part was mistyped, or made up: either way it cannot identify a person, and a person not
 * identified can be counted twice.
 *
 * A lowercase x is the same check character (phones and spreadsheets type it); the number is
 * kept uppercase, so that one person always has one form (and one keyed hash).
 */

/** Province-level prefixes (the region code's first two digits): mainland, Taiwan, Hong Kong, Macao. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', // 北京 天津 河北 山西 内蒙古
  '21', '22', '23', // 辽宁 吉林 黑龙江
  '31', '32', '33', '34', '35', '36', '37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41', '42', '43', '44', '45', '46', // 河南 湖北 湖南 广东 广西 海南
  '50', '51', '52', '53', '54', // 重庆 四川 贵州 云南 西藏
  '61', '62', '63', '64', '65', // 陕西 甘肃 青海 宁夏 新疆
  '71', '81', '82', // 台湾 香港 澳门
]); // prettier-ignore

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** No one alive was born before this year; an earlier "birth date" is a typing error. */
const EARLIEST_BIRTH_YEAR = 1900;

export type ResidentIdFault = 'format' | 'region' | 'birth_date' | 'future_birth' | 'check_digit';

/** What a person reads when their number is refused: Chinese first, then English. */
export const RESIDENT_ID_MESSAGES: Record<ResidentIdFault, string> = {
  format: '身份证号应为18位：17位数字加1位校验码（数字或X） (an ID number is 18 characters: 17 digits and a check digit or X)',
  region: '身份证号前6位不是有效的行政区划代码 (the first 6 digits of the ID number are not a valid region code)',
  birth_date: '身份证号中的出生日期不存在 (the birth date in the ID number is not a real date)',
  future_birth: '身份证号中的出生日期晚于今天 (the birth date in the ID number is in the future)',
  check_digit: '身份证号校验位错误 (ID number check digit is wrong)',
};

/** The check character of a number's first seventeen digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** The date (YYYY-MM-DD) it is in China at `now` (UTC+8, no daylight saving): birthdays and ages turn over at Beijing midnight. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export type ResidentIdCheck = { ok: true; idNumber: string; birthDate: string } | { ok: false; fault: ResidentIdFault };

/** Checks a resident ID number as of `now`; on success gives it in its kept form (uppercase X) and the birth date it holds. */
export function checkResidentId(raw: string, now: Date): ResidentIdCheck {
  if (!/^\d{17}[\dXx]$/.test(raw)) return { ok: false, fault: 'format' };
  const idNumber = raw.toUpperCase();
  if (!PROVINCES.has(idNumber.slice(0, 2)) || idNumber.slice(2, 6) === '0000') return { ok: false, fault: 'region' };
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isRealDate(birthDate) || Number(birthDate.slice(0, 4)) < EARLIEST_BIRTH_YEAR) return { ok: false, fault: 'birth_date' };
  if (birthDate > chinaDate(now)) return { ok: false, fault: 'future_birth' };
  if (checkCharacter(idNumber) !== idNumber[17]) return { ok: false, fault: 'check_digit' };
  return { ok: true, idNumber, birthDate };
}

/** Whole years from `birthDate` (YYYY-MM-DD) to the China date of `now`; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, now: Date): number {
  const today = chinaDate(now);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** A valid ID number from its parts (region code, birth date YYYY-MM-DD, three-digit sequence), its check character computed. */
export function residentIdOf(region: string, birthDate: string, sequence: number): string {
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(first17)) throw new Error('a region of 6 digits, a date YYYY-MM-DD and a sequence of 0–999');
  return first17 + checkCharacter(first17);
}

/**
 * The n-th of a region's valid numbers (n ≥ 0), each n its own: a sequence, then a birth date
 * from 1 January 1940 on (28 days a month, so every date is real), then the next region code
 * up. Made-up people for demonstrations, benchmarks and tests, who pass every check.
 */
export function nthResidentId(region: string, n: number): string {
  const sequence = n % 1000;
  let rest = Math.floor(n / 1000);
  const day = (rest % 28) + 1;
  rest = Math.floor(rest / 28);
  const month = (rest % 12) + 1;
  rest = Math.floor(rest / 12);
  const year = 1940 + (rest % 58);
  const regionStep = Math.floor(rest / 58);
  const pad = (k: number) => String(k).padStart(2, '0');
  return residentIdOf(String(Number(region) + regionStep), `${year}-${pad(month)}-${pad(day)}`, sequence);
}

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}
