import { DomainError } from './errors';

/** ISO 8601 durations with days, hours, minutes, seconds (what the rules need; no months). */
const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * The longest duration any rule may use: 100 years. Without a ceiling `P99999999999D` parses
 * to a number of milliseconds no Date can hold, and every deadline computed from it throws
 * (issue #8: one setting made every approval of a village fail).
 */
export const MAX_DURATION_MS = 100 * 366 * 24 * 3_600_000;

/** Milliseconds of an ISO 8601 duration; undefined if it is not one, or longer than MAX_DURATION_MS. */
export function parseDuration(iso: string): number | undefined {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  // Each part is bounded first: a 400-digit count of days is Infinity, never a wrapped number.
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
  return Number.isFinite(ms) && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** Like parseDuration, but refuses (DomainError `invalid`, never a RangeError deep inside a decision) what it cannot use. */
export function durationMs(iso: string): number {
  const ms = parseDuration(iso);
  if (ms === undefined) throw new DomainError('invalid', `not an ISO 8601 duration of at most 100 years: ${iso.slice(0, 40)}`);
  return ms;
}

export function addDuration(atIso: string, iso: string): string {
  return new Date(Date.parse(atIso) + durationMs(iso)).toISOString();
}
