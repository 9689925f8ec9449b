import { OFFICIAL_ROLES } from '../../domain/roles';
import { exportTypes } from './export-schemas';
import type { RouteSpec } from './route-spec';
import * as B from './batch-decision-schemas';
import * as S from './schemas';
import { CaseEventsView, StreamPageQuery } from './stream-schemas';

export const exampleHousehold = {
  members: [
    { name: 'Wang Fang', relation: 'head', idNumber: '522701197003150021', ableToWork: true, health: 'chronic_illness' },
    { name: 'Wang Lei', relation: 'child', idNumber: '522701200809090018', ableToWork: false, health: 'healthy' },
  ],
  annualIncomeFen: 260000,
  housingGrade: 'C',
  primaryCause: 'illness',
  secondaryCauses: ['schooling'],
  requestedHelp: 'medical expense top-up; school fees for the child',
  bankAccount: { bank: 'Rural Credit Cooperative', accountNumber: '6228480012345678' },
};

export const caseRoutes = {
  health: {
    method: 'get',
    path: '/health',
    tag: 'system',
    summary: 'Database and Temporal state',
    access: 'public',
    success: { status: 200, description: 'both reachable', schema: S.HealthView },
    errors: [503],
    errorBodies: { 503: { description: 'the same view, with `ok: false` on whichever is down', schema: S.HealthView } },
  },
  submitApplication: {
    method: 'post',
    path: '/applications',
    tag: 'cases',
    summary: 'A household applies; its durable case starts',
    description:
      "An applicant applies for their own village; a village official may apply on a household's behalf. ID numbers are checked to GB 11643-1999 (400 naming the member: region code, a real birth date not in the future, the check digit; the same number twice in the household names both) and kept only as keyed hashes and masked forms; a member's age is read from the ID number (if sent, it must agree). One person, one household: a member already in another applying or enrolled household is 409 `member-in-another-household`, naming the member and, masked, the other household's village and head.",
    access: ['applicant', 'village_official'],
    body: S.SubmitApplicationBody,
    idempotent: true,
    example: { village: '522701101201', household: exampleHousehold },
    success: { status: 201, description: 'the case, at village evaluation', schema: S.SubmittedView },
    errors: [400, 401, 403, 409, 422],
  },
  listCases: {
    method: 'get',
    path: '/cases',
    tag: 'cases',
    summary: "Cases in the caller's jurisdiction",
    access: OFFICIAL_ROLES,
    query: S.ListCasesQuery,
    success: { status: 200, description: 'a page of cases, oldest first (or, with format=csv|xlsx, a file)', schema: S.CaseListView, otherTypes: exportTypes },
    errors: [400, 401, 403],
  },
  getCase: {
    method: 'get',
    path: '/cases/{caseId}',
    tag: 'cases',
    summary: "A case's current state",
    access: 'authenticated',
    params: S.CaseIdParams,
    success: { status: 200, description: 'the case', schema: S.CaseView },
    errors: [401, 403, 404],
  },
  caseEvents: {
    method: 'get',
    path: '/cases/{caseId}/events',
    tag: 'cases',
    summary: "A case's domain events, hash-chained, in order",
    access: OFFICIAL_ROLES,
    params: S.CaseIdParams,
    query: StreamPageQuery,
    success: { status: 200, description: 'events with seq, type, at, actor, data, hash, prevHash, and the verdict on the whole chain', schema: CaseEventsView },
    errors: [401, 403, 404],
  },
  decide: {
    method: 'post',
    path: '/cases/{caseId}/decisions',
    tag: 'cases',
    summary: "Decide the case's current stage",
    access: ['village_official', 'town_official', 'county_official'],
    params: S.CaseIdParams,
    body: S.DecisionBody,
    idempotent: true,
    example: {
      stage: 'village_evaluation',
      decision: 'approve',
      reason: 'recommended by the assembly',
      votes: { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 },
    },
    success: { status: 200, description: 'the case after the decision', schema: S.CaseView },
    errors: [400, 401, 403, 404, 409, 422],
  },
  decideMany: {
    method: 'post',
    path: '/cases/decisions',
    tag: 'cases',
    summary: 'Decide many cases at one stage: a village assembly, a town audit, a county approval',
    description:
      'Each case is decided as by POST /cases/{caseId}/decisions (the same checks, its own events); the decision, reason and votes given once apply to every item that gives none of its own. ' +
      'The answer lists each case in the order of the request: 200 with the case, or the status and problem the single decision would have answered (403, 404, 409, 422); one refused case does not stop the others. ' +
      'With an Idempotency-Key the batch is idempotent as a whole: a retry, even of a batch cut short, answers each case as first answered and decides none twice. ' +
      'A 503 means the batch was cut short by an outage: retry it with the same Idempotency-Key to finish it.',
    access: ['village_official', 'town_official', 'county_official'],
    body: B.BatchDecisionBody,
    idempotent: true,
    example: {
      stage: 'village_evaluation',
      decision: 'approve',
      reason: 'recommended by the assembly of 12 March',
      votes: { representatives: 21, present: 18, for: 15, against: 2, abstain: 1 },
      items: [
        { caseId: 'case-3b1f5e0a-7c2d-4e8f-9a6b-1c2d3e4f5a6b', householdHash: 'a3'.repeat(32) },
        {
          caseId: 'case-8d7c6b5a-4f3e-4d2c-8b1a-0f9e8d7c6b5a',
          householdHash: '5c'.repeat(32),
          decision: 'reject',
          reason: 'income above the line',
          votes: { representatives: 21, present: 18, for: 3, against: 14, abstain: 1 },
        },
      ],
    },
    success: { status: 200, description: 'one result per case, in the order of the request', schema: B.BatchDecisionsView },
    errors: [400, 401, 403, 409, 422],
  },
  lodgeObjection: {
    method: 'post',
    path: '/cases/{caseId}/objections',
    tag: 'cases',
    summary: 'Object to a case during its publicity period',
    access: 'authenticated',
    params: S.CaseIdParams,
    body: S.ObjectionBody,
    idempotent: true,
    example: { grounds: 'The household runs a shop in town and is not poor.' },
    success: { status: 201, description: 'the objection, open', schema: S.ObjectionView },
    errors: [400, 401, 404, 409],
  },
  resolveObjection: {
    method: 'post',
    path: '/objections/{objectionId}/resolution',
    tag: 'cases',
    summary: 'Resolve an objection after verifying it',
    access: ['village_official', 'town_official', 'county_official'],
    params: S.ObjectionIdParams,
    body: S.ResolutionBody,
    idempotent: true,
    example: { substantiated: false, finding: 'The shop belongs to a cousin; verified at the market office.' },
    success: { status: 200, description: 'the case after the resolution', schema: S.CaseView },
    errors: [400, 401, 403, 404, 409, 422],
  },
} satisfies Record<string, RouteSpec>;
