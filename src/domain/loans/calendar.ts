/**
 * Calendar days as 'YYYY-MM-DD' strings (UTC, the scheme's local calendar in this engine).
 * Such days compare correctly as strings; arithmetic goes through whole UTC days.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year, month (1–12) and day of a valid day string. */
export function partsOf(day: string): { year: number; month: number; day: number } {
  if (!isDay(day)) throw new Error(`not a day (YYYY-MM-DD): ${day.slice(0, 40)}`);
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) };
}

/** The day of these parts; a day past the month's end is clamped to its last day (31 February → 28 or 29). */
export function dayOf(year: number, month: number, day: number): string {
  const d = Math.min(day, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** So many whole months later, clamped to the end of a shorter month (31 January + 1 month → 28/29 February). */
export function addMonths(day: string, months: number): string {
  const p = partsOf(day);
  const index = p.year * 12 + (p.month - 1) + months;
  return dayOf(Math.floor(index / 12), (index % 12) + 1, p.day);
}

export function addDays(day: string, days: number): string {
  partsOf(day);
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  partsOf(from);
  partsOf(to);
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** The same month and day so many years later (29 February → 28 February in a common year). */
export function addYears(day: string, years: number): string {
  const p = partsOf(day);
  return dayOf(p.year + years, p.month, p.day);
}
