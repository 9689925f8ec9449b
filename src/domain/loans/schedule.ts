/**
 * A loan's repayment schedule from its terms: when each instalment falls due and how many fen.
 * Pure calendar arithmetic on 'YYYY-MM-DD' days; money in integer fen.
 */
import { DomainError } from '../errors';
import { addMonths, dayOf, daysInMonth, isDay, partsOf } from './calendar';
import type { DueRule, Instalment, LoanTerms, ScheduledInstalment } from './terms';

export const MAX_INSTALMENTS = 12;
export const MAX_YEAR_OFFSET = 10;
export const MAX_MONTHS = 120;
export const MAX_GRACE_DAYS = 365;
export const BP_WHOLE = 10_000;

const SHA256_HEX = /^[0-9a-f]{64}$/;
export const isSha256Hex = (s: unknown): s is string => typeof s === 'string' && SHA256_HEX.test(s);

const isIntIn = (n: unknown, min: number, max: number): n is number => Number.isSafeInteger(n) && (n as number) >= min && (n as number) <= max;

const refuse = (field: string, message: string): never => {
  throw new DomainError('invalid', `${field} ${message}`);
};

/**
 * Payout days the plan's order is checked on (the 1st of every month of a common year, and a
 * year end): due dates must come in the plan's order whatever the payout day, so "the last
 * instalment" is always the last one listed.
 */
const SAMPLE_PAYOUT_DAYS = [...Array.from({ length: 12 }, (_, i) => dayOf(2026, i + 1, 1)), '2026-12-31'];

/** Refuses terms that cannot make a schedule or an agreement (DomainError `invalid`, naming the field). */
export function validateTerms(terms: LoanTerms): void {
  if (!terms || typeof terms !== 'object') refuse('terms', 'are required');
  if (!isIntIn(terms.amountFen, 1, Number.MAX_SAFE_INTEGER)) refuse('terms.amountFen', 'must be a positive whole number of fen');
  validateInstalments(terms.instalments);
  if (!isIntIn(terms.graceDays, 0, MAX_GRACE_DAYS)) refuse('terms.graceDays', `must be a whole number of days from 0 to ${MAX_GRACE_DAYS}`);
  if (typeof terms.inKindAllowed !== 'boolean') refuse('terms.inKindAllowed', 'must be true or false');
  const a = terms.agreement;
  if (!a || typeof a !== 'object') return refuse('terms.agreement', 'is required');
  if (!isIntIn(a.version, 1, Number.MAX_SAFE_INTEGER)) refuse('terms.agreement.version', 'must be a positive whole number');
  if (typeof a.text !== 'string' || !a.text.trim()) refuse('terms.agreement.text', 'must not be empty');
  if (!isSha256Hex(a.hash)) refuse('terms.agreement.hash', 'must be the sha256 of the text: 64 lowercase hex characters');
}

function validateInstalments(instalments: Instalment[]): void {
  if (!Array.isArray(instalments) || instalments.length < 1 || instalments.length > MAX_INSTALMENTS)
    refuse('terms.instalments', `must list 1 to ${MAX_INSTALMENTS} instalments`);
  let total = 0;
  instalments.forEach((inst, i) => {
    const field = `terms.instalments[${i}]`;
    if (!inst || typeof inst !== 'object') refuse(field, 'must be an instalment (shareBp and due)');
    if (!isIntIn(inst.shareBp, 1, BP_WHOLE)) refuse(`${field}.shareBp`, `must be a whole number of basis points from 1 to ${BP_WHOLE}`);
    total += inst.shareBp;
    validateDueRule(inst.due, `${field}.due`);
  });
  if (total !== BP_WHOLE) refuse('terms.instalments', `shares add up to ${total} basis points, not ${BP_WHOLE} (100%)`);
  for (const paidOn of SAMPLE_PAYOUT_DAYS) {
    const due = dueDates(instalments, paidOn);
    for (let i = 1; i < due.length; i++) {
      if (due[i] <= due[i - 1])
        refuse(
          `terms.instalments[${i}].due`,
          `falls on ${due[i]}, not after instalment ${i}'s ${due[i - 1]}, for a payout on ${paidOn}: list instalments in the order they fall due`,
        );
    }
  }
}

function validateDueRule(due: DueRule, field: string): void {
  if (!due || typeof due !== 'object') return refuse(field, 'is required');
  switch (due.kind) {
    case 'date':
      if (!isIntIn(due.month, 1, 12)) refuse(`${field}.month`, 'must be a month from 1 to 12');
      // 29 February is allowed: in a common year it falls on the 28th.
      if (!isIntIn(due.day, 1, daysInMonth(2024, due.month))) refuse(`${field}.day`, `must be a day of month ${due.month}`);
      if (!isIntIn(due.yearOffset, 0, MAX_YEAR_OFFSET)) refuse(`${field}.yearOffset`, `must be a whole number of years from 0 to ${MAX_YEAR_OFFSET}`);
      return;
    case 'months':
      if (!isIntIn(due.months, 1, MAX_MONTHS)) refuse(`${field}.months`, `must be a whole number of months from 1 to ${MAX_MONTHS}`);
      return;
    default:
      return refuse(`${field}.kind`, "must be 'date' or 'months'");
  }
}

/**
 * Each instalment's due day for a payout on `paidOn`. A 'date' rule counts its yearOffset from
 * the loan's first year: the payout's year, or the next one when a yearOffset-0 date has
 * already come (on or before the payout day); so the seed's "31 December, then a year later"
 * paid out on 31 December falls due a year and two years on, never twice on one day.
 */
function dueDates(instalments: Instalment[], paidOn: string): string[] {
  const { year } = partsOf(paidOn);
  const passed = instalments.some((i) => i.due.kind === 'date' && i.due.yearOffset === 0 && dayOf(year, i.due.month, i.due.day) <= paidOn);
  const firstYear = year + (passed ? 1 : 0);
  return instalments.map(({ due }) => (due.kind === 'date' ? dayOf(firstYear + due.yearOffset, due.month, due.day) : addMonths(paidOn, due.months)));
}

/** floor(principal × share / 10000), exactly (no float rounding however large the principal). */
const shareOf = (principalFen: number, shareBp: number) => Number((BigInt(principalFen) * BigInt(shareBp)) / BigInt(BP_WHOLE));

/**
 * The schedule of a loan of `principalFen` paid out on `paidOn`: each instalment its share,
 * rounded down to the fen; the fen lost to rounding are added to the last instalment to fall due.
 */
export function scheduleFor(terms: Pick<LoanTerms, 'instalments'>, principalFen: number, paidOn: string): ScheduledInstalment[] {
  validateInstalments(terms.instalments);
  if (!isIntIn(principalFen, 1, Number.MAX_SAFE_INTEGER)) refuse('principalFen', 'must be a positive whole number of fen');
  if (!isDay(paidOn)) refuse('paidOn', 'must be a day (YYYY-MM-DD)');
  const due = dueDates(terms.instalments, paidOn);
  const schedule = terms.instalments.map((inst, i) => ({ n: i + 1, dueDate: due[i], amountFen: shareOf(principalFen, inst.shareBp) }));
  const remainder = principalFen - schedule.reduce((sum, s) => sum + s.amountFen, 0);
  const last = inDueOrder(schedule).at(-1) as ScheduledInstalment;
  return schedule.map((s) => (s === last ? { ...s, amountFen: s.amountFen + remainder } : s));
}

/** Instalments by due day (then number): the order repayments cover them in. */
export function inDueOrder(schedule: ScheduledInstalment[]): ScheduledInstalment[] {
  return [...schedule].sort((a, b) => (a.dueDate === b.dueDate ? a.n - b.n : a.dueDate < b.dueDate ? -1 : 1));
}

/**
 * How much of each instalment `coveredFen` (repaid and written off) covers, earliest due first.
 * Returns each instalment with its unpaid rest.
 */
export function unpaidParts(schedule: ScheduledInstalment[], coveredFen: number): (ScheduledInstalment & { unpaidFen: number })[] {
  let left = coveredFen;
  return inDueOrder(schedule).map((s) => {
    const paid = Math.min(Math.max(left, 0), s.amountFen);
    left -= paid;
    return { ...s, unpaidFen: s.amountFen - paid };
  });
}

/**
 * A deferral: every instalment not yet wholly covered by `repaidFen` moves `months` later
 * (clamped to the end of a shorter month); covered ones stay. Amounts do not change.
 */
export function deferSchedule(schedule: ScheduledInstalment[], repaidFen: number, months: number): ScheduledInstalment[] {
  if (!isIntIn(months, 1, MAX_MONTHS)) refuse('deferMonths', `must be a whole number of months from 1 to ${MAX_MONTHS}`);
  const unpaid = new Set(
    unpaidParts(schedule, repaidFen)
      .filter((s) => s.unpaidFen > 0)
      .map((s) => s.n),
  );
  return schedule.map((s) => (unpaid.has(s.n) ? { ...s, dueDate: addMonths(s.dueDate, months) } : s));
}
