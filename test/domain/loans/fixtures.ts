/** The seed scheme's figures and the officials the loan tests act as. */
import { createHash } from 'node:crypto';
import { DomainError } from '../../../src/domain/errors';
import type { Actor, Role } from '../../../src/domain/roles';
import { SEED_INSTALMENTS, type LoanTerms } from '../../../src/domain/loans/terms';

export const COUNTY = '522701';
export const TOWN = '522701101';
export const VILLAGE = '522701101201';
export const OTHER_VILLAGE = '522701101202';
export const location = (village = VILLAGE) => ({ county: village.slice(0, 6), town: village.slice(0, 9), village });

const text = '肉牛贷款协议 / cattle loan agreement v1';
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const seedTerms = (over: Partial<LoanTerms> = {}): LoanTerms => ({
  amountFen: 110_000,
  instalments: SEED_INSTALMENTS,
  graceDays: 30,
  inKindAllowed: true,
  agreement: { version: 1, text, hash: sha256(text) },
  ...over,
});

export const actor = (userId: string, role: Role, jurisdiction: string): Actor => ({ userId, role, jurisdiction });
export const villageOfficial = actor('v-1', 'village_official', VILLAGE);
export const villageOfficial2 = actor('v-2', 'village_official', VILLAGE);
export const townOfficial = actor('t-1', 'town_official', TOWN);
export const countyOfficial = actor('c-1', 'county_official', COUNTY);
export const countyOfficial2 = actor('c-2', 'county_official', COUNTY);
export const cashier = actor('cash-1', 'cashier', COUNTY);
export const fundManager = actor('fm-1', 'fund_manager', COUNTY);

/** The refusal a call throws (a test fails if it throws nothing). */
export function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal, but the command was accepted');
}
