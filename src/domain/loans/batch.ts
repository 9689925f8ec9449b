/** One cycle's batch of households (stream `loan-batch`): publicity, objections, signatures, loans. */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { contains, levelOf, type Location } from '../jurisdiction';
import { STREAM_TYPE } from '../streams';
import type { BatchCommand } from './commands';
import type { BatchEvent, SignatureMethod } from './events';
import { isSha256Hex, validateTerms } from './schedule';
import type { LoanTerms } from './terms';

export type BatchStatus = 'publicity' | 'signing' | 'paying' | 'completed';
export type BatchHouseholdStatus = 'proposed' | 'removed' | 'signed' | 'unsigned' | 'issued' | 'failed';

export interface BatchHouseholdState {
  householdId: string;
  location: Location;
  status: BatchHouseholdStatus;
  signature?: { method: SignatureMethod; signedBy: string; signedAt: string; scanHash?: string; agreementHash?: string };
  loanId?: string;
  disbursementId?: string;
}

export interface BatchState {
  batchId: string;
  schemeId: string;
  fundId: string;
  cycle: number;
  termsVersion: number;
  terms: LoanTerms;
  publicityEndsAt: string;
  proposedBy: string;
  status: BatchStatus;
  households: BatchHouseholdState[];
  objections: { objectionId: string; householdId: string; raisedBy: string; reason: string; resolved: boolean; substantiated?: boolean; finding?: string }[];
  loansPaid: number;
  paidFen: number;
  failed: string[];
  version: number;
}

export const initialBatchState = (): BatchState | undefined => undefined;

export function evolveBatch(state: BatchState | undefined, event: BatchEvent): BatchState {
  if (event.type === 'BatchOpened') {
    const { households, ...opened } = event.data;
    return {
      ...opened,
      status: 'publicity',
      households: households.map((h) => ({ householdId: h.householdId, location: h.location, status: 'proposed' })),
      objections: [],
      loansPaid: 0,
      paidFen: 0,
      failed: [],
      version: 1,
    };
  }
  if (!state) throw new Error(`${event.type} before BatchOpened`);
  const s = { ...state, version: state.version + 1 };
  const household = (id: string, change: Partial<BatchHouseholdState>) => s.households.map((h) => (h.householdId === id ? { ...h, ...change } : h));
  switch (event.type) {
    case 'BatchObjectionRaised': {
      const { objectionId, householdId, raisedBy, reason } = event.data;
      return { ...s, objections: [...s.objections, { objectionId, householdId, raisedBy, reason, resolved: false }] };
    }
    case 'BatchObjectionResolved': {
      const { objectionId, householdId, substantiated, finding } = event.data;
      return {
        ...s,
        objections: s.objections.map((o) => (o.objectionId === objectionId ? { ...o, resolved: true, substantiated, finding } : o)),
        households: substantiated ? household(householdId, { status: 'removed' }) : s.households,
      };
    }
    case 'BatchPublicityEnded':
      return { ...s, status: 'signing' };
    case 'AgreementSigned': {
      const { householdId, method, signedBy, signedAt, scanHash, agreementHash } = event.data;
      const signature = { method, signedBy, signedAt, ...(scanHash ? { scanHash } : {}), agreementHash };
      return { ...s, households: household(householdId, { status: 'signed', signature }) };
    }
    case 'SigningClosed': {
      const unsigned = new Set(event.data.unsigned);
      return { ...s, status: 'paying', households: s.households.map((h) => (unsigned.has(h.householdId) ? { ...h, status: 'unsigned' } : h)) };
    }
    case 'LoanIssued': {
      const { householdId, loanId, disbursementId } = event.data;
      return { ...s, households: household(householdId, { status: 'issued', loanId, disbursementId }) };
    }
    case 'BatchCompleted': {
      const { loansPaid, paidFen, failed } = event.data;
      const failedSet = new Set(failed);
      return {
        ...s,
        status: 'completed',
        loansPaid,
        paidFen,
        failed,
        // `failed` names households (or, in hand-built events, their loans) whose payout failed.
        households: s.households.map((h) => (failedSet.has(h.householdId) || (h.loanId && failedSet.has(h.loanId)) ? { ...h, status: 'failed' } : h)),
      };
    }
    default:
      return assertNever(event);
  }
}

type Cmd<T extends BatchCommand['type']> = Extract<BatchCommand, { type: T }>;

export function decideBatch(command: BatchCommand, state: BatchState | undefined): BatchEvent[] {
  if (command.type === 'OpenBatch') return openBatch(command, state);
  if (!state) throw new DomainError('not_found', 'no such batch');
  switch (command.type) {
    case 'RaiseObjection':
      return raiseObjection(command, state);
    case 'ResolveObjection':
      return resolveObjection(command, state);
    case 'EndPublicity':
      return endPublicity(command, state);
    case 'SignAgreement':
      return signAgreement(command, state);
    case 'CloseSigning':
      return closeSigning(state);
    case 'IssueLoan':
      return issueLoan(command, state);
    case 'CompleteBatch':
      return completeBatch(command, state);
    default:
      return assertNever(command);
  }
}

const isInstant = (s: string) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
const before = (a: string, b: string) => Date.parse(a) < Date.parse(b);

function openBatch(c: Cmd<'OpenBatch'>, s: BatchState | undefined): BatchEvent[] {
  if (s) {
    if (s.batchId === c.batchId && s.schemeId === c.schemeId) return [];
    throw new DomainError('wrong_stage', 'this batch was already opened, with other details');
  }
  // Who may propose, and which households, was decided on the scheme's stream (ProposeBatch); the
  // batch workflow opens the batch in the proposer's name.
  if (!Array.isArray(c.households) || c.households.length === 0) throw new DomainError('invalid', 'a batch needs at least one household');
  c.households.forEach((h, i) => {
    if (levelOf(h.location?.village) !== 'village') throw new DomainError('invalid', `households[${i}] (${h.householdId}) is not a household of a village`);
  });
  if (new Set(c.households.map((h) => h.householdId)).size !== c.households.length) throw new DomainError('invalid', 'a batch lists a household twice');
  if (!Number.isSafeInteger(c.cycle) || c.cycle < 1) throw new DomainError('invalid', 'cycle must be a positive whole number');
  if (!isInstant(c.publicityEndsAt)) throw new DomainError('invalid', 'publicityEndsAt must be an ISO 8601 time');
  validateTerms(c.terms);
  const { batchId, schemeId, fundId, cycle, termsVersion, terms, households, publicityEndsAt } = c;
  return [{ type: 'BatchOpened', data: { batchId, schemeId, fundId, cycle, termsVersion, terms, households, publicityEndsAt, proposedBy: c.actor.userId } }];
}

/** A household still in the batch (not taken out by a substantiated objection). */
function member(s: BatchState, householdId: string): BatchHouseholdState {
  const h = s.households.find((x) => x.householdId === householdId);
  if (!h || h.status === 'removed') throw new DomainError('not_found', `household ${householdId} is not in this batch`);
  return h;
}

/** Anyone may object to a household on the list while it is publicised. */
function raiseObjection(c: Cmd<'RaiseObjection'>, s: BatchState): BatchEvent[] {
  const before_ = s.objections.find((o) => o.objectionId === c.objectionId);
  if (before_) {
    if (before_.householdId === c.householdId && before_.raisedBy === c.actor.userId) return [];
    throw new DomainError('invalid', `objection ${c.objectionId} was already raised, about another household or by someone else`);
  }
  if (s.status !== 'publicity' || !before(c.now, s.publicityEndsAt))
    throw new DomainError('not_in_publicity', `objections are taken only while the list is publicised (until ${s.publicityEndsAt})`);
  member(s, c.householdId);
  if (typeof c.reason !== 'string' || !c.reason.trim()) throw new DomainError('invalid', 'an objection needs a reason');
  return [{ type: 'BatchObjectionRaised', data: { objectionId: c.objectionId, householdId: c.householdId, raisedBy: c.actor.userId, reason: c.reason } }];
}

/** The household's village or town officials look into an objection; a substantiated one takes the household out. */
function resolveObjection(c: Cmd<'ResolveObjection'>, s: BatchState): BatchEvent[] {
  const o = s.objections.find((x) => x.objectionId === c.objectionId);
  if (!o) throw new DomainError('not_found', `no objection ${c.objectionId} on this batch`);
  if (o.resolved) {
    if (o.substantiated === c.substantiated) return [];
    throw new DomainError('invalid', `objection ${c.objectionId} was already resolved the other way`);
  }
  if (s.status !== 'publicity') throw new DomainError('wrong_stage', "the batch's publicity has ended");
  const h = s.households.find((x) => x.householdId === o.householdId) as BatchHouseholdState;
  if (!['village_official', 'town_official'].includes(c.actor.role) || !contains(c.actor.jurisdiction, h.location.village))
    throw new DomainError('forbidden', "an objection is resolved by the household's village or town official");
  if (c.actor.userId === o.raisedBy) throw new DomainError('forbidden', 'whoever raised an objection may not resolve it');
  if (typeof c.finding !== 'string' || !c.finding.trim()) throw new DomainError('invalid', 'a resolution needs a finding');
  return [
    {
      type: 'BatchObjectionResolved',
      data: { objectionId: o.objectionId, householdId: o.householdId, substantiated: c.substantiated, finding: c.finding, resolvedBy: c.actor.userId },
    },
  ];
}

function endPublicity(c: Cmd<'EndPublicity'>, s: BatchState): BatchEvent[] {
  if (s.status !== 'publicity') return [];
  if (before(c.now, s.publicityEndsAt)) throw new DomainError('invalid', `the list is publicised until ${s.publicityEndsAt}`);
  const open = s.objections.filter((o) => !o.resolved).map((o) => o.objectionId);
  if (open.length > 0) throw new DomainError('invalid', `objections still open: ${open.join(', ')}`);
  return [{ type: 'BatchPublicityEnded', data: { households: s.households.filter((h) => h.status !== 'removed').length } }];
}

/**
 * The household signs the agreement whose hash the batch's terms pin: in person through its
 * applicant account, or on paper attested by its village official with the scan's hash.
 * In person: the Actor carries no household id, so the API checks that the applicant's account
 * is this household's; here the applicant must at least be of the household's village.
 */
function signAgreement(c: Cmd<'SignAgreement'>, s: BatchState): BatchEvent[] {
  const h = member(s, c.householdId);
  if (h.signature) return [];
  if (s.status !== 'signing')
    throw new DomainError('wrong_stage', s.status === 'publicity' ? 'agreements are signed once the publicity has ended' : 'signing has closed');
  if (c.agreementHash !== s.terms.agreement.hash) throw new DomainError('invalid', "agreementHash is not the hash of this batch's agreement");
  const village = h.location.village;
  if (c.method === 'in_person') {
    if (c.actor.role !== 'applicant' || c.actor.jurisdiction !== village)
      throw new DomainError('forbidden', "signing in person needs the household's own applicant account");
    if (c.scanHash !== undefined) throw new DomainError('invalid', 'a signature in person has no scan');
  } else if (c.method === 'attested') {
    if (c.actor.role !== 'village_official' || !contains(c.actor.jurisdiction, village))
      throw new DomainError('forbidden', "a paper signature is attested by the household's village official");
    if (!isSha256Hex(c.scanHash)) throw new DomainError('invalid', "an attested signature needs the scan's sha256 (scanHash: 64 lowercase hex characters)");
  } else {
    throw new DomainError('invalid', "method must be 'in_person' or 'attested'");
  }
  if (!isInstant(c.now)) throw new DomainError('invalid', 'now must be an ISO 8601 time');
  return [
    {
      type: 'AgreementSigned',
      data: {
        householdId: h.householdId,
        method: c.method,
        signedBy: c.actor.userId,
        agreementHash: c.agreementHash,
        ...(c.scanHash ? { scanHash: c.scanHash } : {}),
        signedAt: c.now,
      },
    },
  ];
}

/** Households that did not sign get no loan. */
function closeSigning(s: BatchState): BatchEvent[] {
  if (s.status === 'paying' || s.status === 'completed') return [];
  if (s.status !== 'signing') throw new DomainError('wrong_stage', 'signing opens once the publicity has ended');
  const inBatch = s.households.filter((h) => h.status !== 'removed');
  const unsigned = inBatch.filter((h) => h.status !== 'signed').map((h) => h.householdId);
  return [{ type: 'SigningClosed', data: { signed: inBatch.length - unsigned.length, unsigned } }];
}

/** One loan per signed household, whatever the retries. */
function issueLoan(c: Cmd<'IssueLoan'>, s: BatchState): BatchEvent[] {
  const h = member(s, c.householdId);
  if (h.loanId) {
    if (h.loanId === c.loanId && h.disbursementId === c.disbursementId) return [];
    throw new DomainError('invalid', `household ${c.householdId} already has loan ${h.loanId} in this batch`);
  }
  if (s.status !== 'paying') throw new DomainError('wrong_stage', 'loans are issued once signing has closed');
  if (h.status !== 'signed') throw new DomainError('invalid', `household ${c.householdId} did not sign the agreement`);
  return [{ type: 'LoanIssued', data: { householdId: c.householdId, loanId: c.loanId, disbursementId: c.disbursementId } }];
}

function completeBatch(c: Cmd<'CompleteBatch'>, s: BatchState): BatchEvent[] {
  if (s.status === 'completed') return [];
  if (s.status !== 'paying') throw new DomainError('wrong_stage', 'a batch completes once its loans are issued');
  const issued = s.households.filter((h) => h.loanId);
  if (!Number.isSafeInteger(c.loansPaid) || c.loansPaid < 0 || c.loansPaid > issued.length)
    throw new DomainError('invalid', `loansPaid must be a whole number from 0 to the ${issued.length} loans issued`);
  const expected = c.loansPaid * s.terms.amountFen;
  if (c.paidFen !== expected) throw new DomainError('invalid', `${c.loansPaid} loans of ${s.terms.amountFen} fen are ${expected} fen, not ${c.paidFen}`);
  const stray = c.failed.find((id) => !s.households.some((h) => h.householdId === id));
  if (stray) throw new DomainError('invalid', `household ${stray} is not in this batch`);
  return [{ type: 'BatchCompleted', data: { loansPaid: c.loansPaid, paidFen: c.paidFen, failed: c.failed } }];
}

export const batchDecider: StreamDecider<BatchState | undefined, BatchCommand, BatchEvent> = {
  streamType: STREAM_TYPE['loan-batch'],
  decide: decideBatch,
  evolve: evolveBatch,
  initialState: initialBatchState,
};
