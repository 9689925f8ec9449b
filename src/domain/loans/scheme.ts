/** A revolving loan scheme (stream `loan-scheme`): its terms versions and the cash its open batches claim. */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { contains, levelOf } from '../jurisdiction';
import type { Actor } from '../roles';
import { STREAM_TYPE } from '../streams';
import { addYears, isDay } from './calendar';
import type { IneligibleReason, SchemeCommand } from './commands';
import type { SchemeEvent } from './events';
import { sameJson } from './same';
import { validateTerms } from './schedule';
import type { LoanTerms } from './terms';

export interface SchemeBatch {
  batchId: string;
  cycle: number;
  termsVersion: number;
  households: number;
  claimFen: number;
  status: 'open' | 'settled';
  loansPaid?: number;
  paidFen?: number;
}

export interface SchemeState {
  schemeId: string;
  name: string;
  fundId: string;
  county: string;
  eligibleVillages: string[];
  writeOffBarYears: number;
  createdBy: string;
  terms: LoanTerms;
  termsVersion: number;
  /** Every version's terms, by version number (a batch pins its version). */
  termsByVersion: Record<number, LoanTerms>;
  /** Cash claimed by batches not yet settled, by batch id. */
  openClaims: Record<string, number>;
  /** Households of batches not yet settled (so two open batches never hold the same household). */
  openHouseholds: Record<string, string[]>;
  batches: SchemeBatch[];
  /** Loans paid over all settled batches. */
  householdsServed: number;
  version: number;
}

/** Households a batch may not hold, each with every reason. */
export class IneligibleHouseholdsError extends DomainError {
  constructor(readonly refusals: { householdId: string; reasons: IneligibleReason[] }[]) {
    super(
      'invalid',
      `${refusals.length} household(s) may not be in this batch: ${refusals.map((r) => `${r.householdId} (${r.reasons.join(', ')})`).join('; ')}`,
    );
    this.name = 'IneligibleHouseholdsError';
  }
}

/** A batch larger than the pool's cash not claimed by other open batches. */
export class InsufficientPoolCashError extends DomainError {
  constructor(
    readonly availableFen: number,
    readonly neededFen: number,
    readonly maxHouseholds: number,
  ) {
    super('invalid', `the pool holds ${availableFen} fen of unclaimed cash, this batch needs ${neededFen} fen: at most ${maxHouseholds} households`);
    this.name = 'InsufficientPoolCashError';
  }
}

export const initialSchemeState = (): SchemeState | undefined => undefined;

export function evolveScheme(state: SchemeState | undefined, event: SchemeEvent): SchemeState {
  if (event.type === 'SchemeCreated') {
    const { terms, ...created } = event.data;
    return {
      ...created,
      terms,
      termsVersion: 1,
      termsByVersion: { 1: terms },
      openClaims: {},
      openHouseholds: {},
      batches: [],
      householdsServed: 0,
      version: 1,
    };
  }
  if (!state) throw new Error(`${event.type} before SchemeCreated`);
  const s = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'TermsRevised': {
      const { termsVersion, terms, eligibleVillages } = event.data;
      return { ...s, terms, termsVersion, eligibleVillages, termsByVersion: { ...s.termsByVersion, [termsVersion]: terms } };
    }
    case 'BatchProposed': {
      const { batchId, cycle, termsVersion, households, claimFen, householdIds } = event.data;
      return {
        ...s,
        openClaims: { ...s.openClaims, [batchId]: claimFen },
        openHouseholds: { ...s.openHouseholds, [batchId]: householdIds ?? [] },
        batches: [...s.batches, { batchId, cycle, termsVersion, households, claimFen, status: 'open' }],
      };
    }
    case 'BatchSettled': {
      const { batchId, loansPaid, paidFen } = event.data;
      const { [batchId]: _claim, ...openClaims } = s.openClaims;
      const { [batchId]: _households, ...openHouseholds } = s.openHouseholds;
      void [_claim, _households];
      return {
        ...s,
        openClaims,
        openHouseholds,
        batches: s.batches.map((b) => (b.batchId === batchId ? { ...b, status: 'settled', loansPaid, paidFen } : b)),
        householdsServed: s.householdsServed + loansPaid,
      };
    }
    default:
      return assertNever(event);
  }
}

export function decideScheme(command: SchemeCommand, state: SchemeState | undefined): SchemeEvent[] {
  if (command.type === 'CreateScheme') return createScheme(command, state);
  if (!state) throw new DomainError('not_found', 'no such loan scheme');
  switch (command.type) {
    case 'ReviseTerms':
      return reviseTerms(command, state);
    case 'ProposeBatch':
      return proposeBatch(command, state);
    case 'SettleBatch':
      return settleBatch(command, state);
    default:
      return assertNever(command);
  }
}

type Cmd<T extends SchemeCommand['type']> = Extract<SchemeCommand, { type: T }>;

export const MAX_WRITE_OFF_BAR_YEARS = 50;

/** The scheme's county officials decide for it: creating it, revising its terms, proposing batches. */
function assertCountyOfficial(actor: Actor, county: string, what: string): void {
  if (actor.role !== 'county_official') throw new DomainError('forbidden', `${what} needs the role county_official`);
  if (!contains(actor.jurisdiction, county)) throw new DomainError('forbidden', "the scheme's county is outside your jurisdiction");
}

function validateVillages(villages: string[], county: string): void {
  if (!Array.isArray(villages) || villages.length === 0) throw new DomainError('invalid', 'eligibleVillages must name at least one village');
  villages.forEach((v, i) => {
    if (levelOf(v) !== 'village' || !contains(county, v))
      throw new DomainError('invalid', `eligibleVillages[${i}] (${String(v).slice(0, 20)}) is not a village of county ${county}`);
  });
  if (new Set(villages).size !== villages.length) throw new DomainError('invalid', 'eligibleVillages lists a village twice');
}

function createScheme(c: Cmd<'CreateScheme'>, s: SchemeState | undefined): SchemeEvent[] {
  if (levelOf(c.county) !== 'county') throw new DomainError('invalid', 'county must be a county code (6 digits)');
  assertCountyOfficial(c.actor, c.county, 'creating a loan scheme');
  const created = {
    schemeId: c.schemeId,
    name: c.name,
    fundId: c.fundId,
    county: c.county,
    eligibleVillages: c.eligibleVillages,
    writeOffBarYears: c.writeOffBarYears,
    terms: c.terms,
  };
  if (s) {
    // A retried creation: the same details (the villages as created, unless revised since).
    const same =
      sameJson([s.schemeId, s.name, s.fundId, s.county, s.writeOffBarYears], [c.schemeId, c.name, c.fundId, c.county, c.writeOffBarYears]) &&
      sameJson(s.termsByVersion[1], c.terms) &&
      (s.termsVersion > 1 || sameJson(s.eligibleVillages, c.eligibleVillages));
    if (same) return [];
    throw new DomainError('invalid', 'this loan scheme was already created, with other details');
  }
  if (typeof c.name !== 'string' || !c.name.trim()) throw new DomainError('invalid', 'a scheme needs a name');
  if (typeof c.fundId !== 'string' || !c.fundId.trim()) throw new DomainError('invalid', "a scheme needs its pool's fund");
  validateVillages(c.eligibleVillages, c.county);
  if (!Number.isSafeInteger(c.writeOffBarYears) || c.writeOffBarYears < 0 || c.writeOffBarYears > MAX_WRITE_OFF_BAR_YEARS)
    throw new DomainError('invalid', `writeOffBarYears must be a whole number of years from 0 to ${MAX_WRITE_OFF_BAR_YEARS}`);
  validateTerms(c.terms);
  return [{ type: 'SchemeCreated', data: { ...created, createdBy: c.actor.userId } }];
}

/** New terms apply to batches proposed from now on; old batches and their loans keep theirs. */
function reviseTerms(c: Cmd<'ReviseTerms'>, s: SchemeState): SchemeEvent[] {
  assertCountyOfficial(c.actor, s.county, "revising a scheme's terms");
  if (typeof c.reason !== 'string' || !c.reason.trim()) throw new DomainError('invalid', 'a revision needs a reason');
  validateVillages(c.eligibleVillages, s.county);
  validateTerms(c.terms);
  return [
    {
      type: 'TermsRevised',
      data: { termsVersion: s.termsVersion + 1, terms: c.terms, eligibleVillages: c.eligibleVillages, revisedBy: c.actor.userId, reason: c.reason },
    },
  ];
}

/** Every proposed household checked on the facts the caller looked up; all refusals named at once. */
export function refusalsOf(
  c: Pick<Cmd<'ProposeBatch'>, 'households' | 'eligibility'>,
  s: Pick<SchemeState, 'eligibleVillages' | 'writeOffBarYears' | 'openHouseholds'>,
): { householdId: string; reasons: IneligibleReason[] }[] {
  const facts = new Map(c.eligibility.map((e) => [e.householdId, e]));
  const inOpenBatch = new Set(Object.values(s.openHouseholds).flat());
  const seen = new Set<string>();
  const refusals: { householdId: string; reasons: IneligibleReason[] }[] = [];
  for (const h of c.households) {
    const reasons: IneligibleReason[] = [];
    const f = facts.get(h.householdId);
    // No facts looked up: nothing shows the household is enrolled.
    if (!f?.enrolled) reasons.push('not_enrolled');
    const village = f?.village ?? h.location.village;
    if (!s.eligibleVillages.includes(village)) reasons.push('village_not_eligible');
    if (f?.hasActiveLoan || inOpenBatch.has(h.householdId)) reasons.push('active_loan');
    if (f?.lastWriteOffOn !== undefined) {
      if (!isDay(f.lastWriteOffOn) || !isDay(f.today))
        throw new DomainError('invalid', `household ${h.householdId}: lastWriteOffOn and today must be days (YYYY-MM-DD)`);
      // Barred until the same day N years after the write-off.
      if (addYears(f.lastWriteOffOn, s.writeOffBarYears) > f.today) reasons.push('recent_write_off');
    }
    if (seen.has(h.householdId)) reasons.push('duplicate_in_batch');
    seen.add(h.householdId);
    if (reasons.length > 0) refusals.push({ householdId: h.householdId, reasons });
  }
  return refusals;
}

/** The pool's cash not claimed by other open batches (never money still owed: the caller passes the fund's available cash). */
export function unclaimedCashFen(s: Pick<SchemeState, 'openClaims'>, poolCashFen: number, exceptBatchId?: string): number {
  const claimed = Object.entries(s.openClaims)
    .filter(([id]) => id !== exceptBatchId)
    .reduce((sum, [, fen]) => sum + fen, 0);
  return Math.max(0, poolCashFen - claimed);
}

function proposeBatch(c: Cmd<'ProposeBatch'>, s: SchemeState): SchemeEvent[] {
  assertCountyOfficial(c.actor, s.county, 'proposing a batch');
  if (s.batches.some((b) => b.batchId === c.batchId)) return [];
  if (!Array.isArray(c.households) || c.households.length === 0) throw new DomainError('invalid', 'a batch needs at least one household');
  if (!Number.isSafeInteger(c.poolCashFen) || c.poolCashFen < 0) throw new DomainError('invalid', "the pool's cash is a whole number of fen, not below 0");
  const refusals = refusalsOf(c, s);
  if (refusals.length > 0) throw new IneligibleHouseholdsError(refusals);
  const amount = s.terms.amountFen;
  const neededFen = c.households.length * amount;
  const availableFen = unclaimedCashFen(s, c.poolCashFen);
  if (neededFen > availableFen) throw new InsufficientPoolCashError(availableFen, neededFen, Math.floor(availableFen / amount));
  return [
    {
      type: 'BatchProposed',
      data: {
        batchId: c.batchId,
        cycle: s.batches.length + 1,
        termsVersion: s.termsVersion,
        households: c.households.length,
        claimFen: neededFen,
        proposedBy: c.actor.userId,
        householdIds: c.households.map((h) => h.householdId),
      },
    },
  ];
}

/** The batch ended: its claim on the cash is released (what it paid now shows in the fund's cash). */
function settleBatch(c: Cmd<'SettleBatch'>, s: SchemeState): SchemeEvent[] {
  const b = s.batches.find((x) => x.batchId === c.batchId);
  if (!b) throw new DomainError('not_found', `no batch ${c.batchId} in this scheme`);
  if (b.status === 'settled') return [];
  if (!Number.isSafeInteger(c.loansPaid) || c.loansPaid < 0 || c.loansPaid > b.households)
    throw new DomainError('invalid', `loansPaid must be a whole number from 0 to the batch's ${b.households} households`);
  if (!Number.isSafeInteger(c.paidFen) || c.paidFen < 0 || c.paidFen > b.claimFen)
    throw new DomainError('invalid', `paidFen must be a whole number from 0 to the batch's claim of ${b.claimFen} fen`);
  return [{ type: 'BatchSettled', data: { batchId: c.batchId, loansPaid: c.loansPaid, paidFen: c.paidFen } }];
}

export const schemeDecider: StreamDecider<SchemeState | undefined, SchemeCommand, SchemeEvent> = {
  streamType: STREAM_TYPE['loan-scheme'],
  decide: decideScheme,
  evolve: evolveScheme,
  initialState: initialSchemeState,
};
