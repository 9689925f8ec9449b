import { OFFICIAL_ROLES } from '../../domain/roles';
import { FundIdParams } from './fund-schemas';
import { fundRoutes } from './fund-routes';
import { PairingIdParams } from './help-schemas';
import { helpRoutes } from './help-routes';
import { HouseholdIdParams } from './household-schemas';
import { loanRoutes } from './loan-routes';
import { BatchIdParams, LoanIdParams, SchemeIdParams } from './loan-schemes';
import type { RouteSpec } from './route-spec';
import { StreamEventsView, StreamPageQuery } from './stream-schemas';

const ANSWER = {
  status: 200,
  description: 'a page of events with seq, type, at, actor, data, hash, prevHash, and the verdict on the whole chain',
  schema: StreamEventsView,
} as const;
const CHAIN =
  'Each event carries its `hash` and the `prevHash` it links to; `chain` is the server recomputing every hash of the stream from its first event to its head, so an edited, removed or inserted event shows as `verified: false` with the first event that does not check out. ';

/**
 * The event streams of loans, schemes, batches, funds, pairings and help plans, read as a case's are
 * (GET /cases/{caseId}/events): by those who may read the thing itself, with the same answer.
 */
export const streamRoutes = {
  loanEvents: {
    method: 'get',
    path: '/loans/{loanId}/events',
    tag: 'loans',
    summary: "A loan's domain events, hash-chained, in order, with its chain verified",
    description: CHAIN + 'Officials who may read the loan (its village within their jurisdiction); the household reads its loan, not its chain, as for a case.',
    access: OFFICIAL_ROLES,
    params: LoanIdParams,
    query: StreamPageQuery,
    success: ANSWER,
    errors: [401, 403, 404],
  },
  schemeEvents: {
    method: 'get',
    path: '/loan-schemes/{schemeId}/events',
    tag: 'loans',
    summary: "A loan scheme's domain events (creation, terms revised, batches proposed and settled), hash-chained, in order, with its chain verified",
    description: CHAIN + "Those who may read the scheme: the scheme's county overlaps their jurisdiction.",
    access: loanRoutes.getScheme.access,
    params: SchemeIdParams,
    query: StreamPageQuery,
    success: ANSWER,
    errors: [401, 403, 404],
  },
  batchEvents: {
    method: 'get',
    path: '/loan-schemes/{schemeId}/batches/{batchId}/events',
    tag: 'loans',
    summary: "A loan batch's domain events, hash-chained, in order, with its chain verified",
    description: CHAIN + "Officials who may read the batch (the scheme's county overlaps their jurisdiction).",
    access: OFFICIAL_ROLES,
    params: BatchIdParams,
    query: StreamPageQuery,
    success: ANSWER,
    errors: [401, 403, 404],
  },
  fundEvents: {
    method: 'get',
    path: '/funds/{fundId}/events',
    tag: 'funds',
    summary: "A fund's domain events, hash-chained, in order, with its chain verified",
    description: CHAIN + 'Those who may read the fund: its jurisdiction and theirs overlap.',
    access: fundRoutes.getFund.access,
    params: FundIdParams,
    query: StreamPageQuery,
    success: ANSWER,
    errors: [401, 403, 404],
  },
  pairingEvents: {
    method: 'get',
    path: '/pairings/{pairingId}/events',
    tag: 'help',
    summary: "The events of a pairing's household: its pairings and visits, hash-chained, in order, with the chain verified",
    description:
      CHAIN +
      "A household's pairings and visits are one stream (`pairing-{householdId}`): the answer is that stream, earlier and later pairings of the household included. Officials who read pairings, and the auditor, whose jurisdiction holds the household's village.",
    access: [...helpRoutes.lostContact.access, 'auditor'],
    params: PairingIdParams,
    query: StreamPageQuery,
    success: ANSWER,
    errors: [401, 403, 404],
  },
  helpPlanEvents: {
    method: 'get',
    path: '/households/{householdId}/help-plan/events',
    tag: 'help',
    summary: "A household's help plan events (drafts, signatures, taking effect), hash-chained, in order, with the chain verified",
    description:
      CHAIN +
      'Those who may read the plan: its helper or person in charge, officials whose jurisdiction holds the village. 404 while the household has no plan.',
    access: helpRoutes.getHelpPlan.access,
    params: HouseholdIdParams,
    query: StreamPageQuery,
    success: ANSWER,
    errors: [401, 403, 404],
  },
} satisfies Record<string, RouteSpec>;
