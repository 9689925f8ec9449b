import * as F from './fund-schemas';
import type { RouteSpec } from './route-spec';
import { PageQuery } from './schemas';

const READERS = ['fund_manager', 'cashier', 'supervisor', 'auditor', 'county_official'] as const;

export const fundRoutes = {
  openFund: {
    method: 'post', path: '/funds', tag: 'funds', summary: 'Open a special fund with its own account and books',
    access: ['fund_manager', 'county_official'], body: F.OpenFundBody, idempotent: true,
    example: { name: 'Cattle revolving fund 2026', jurisdiction: '522701', account: '6228480000000202' },
    success: { status: 201, description: 'the fund', schema: F.FundView }, errors: [400, 401, 403, 409],
  },
  deposit: {
    method: 'post', path: '/funds/{fundId}/deposits', tag: 'funds', summary: 'Record money coming into a fund',
    access: ['fund_manager'], params: F.FundIdParams, body: F.DepositBody, idempotent: true,
    example: { amountFen: 15000000, source: 'higher_level_grant', reference: 'Provincial grant notice 2026-17' },
    success: { status: 201, description: 'the fund after the deposit', schema: F.FundView }, errors: [400, 401, 403, 404],
  },
  getFund: {
    method: 'get', path: '/funds/{fundId}', tag: 'funds', summary: 'A fund: balances, sources, last reconciliation',
    access: READERS, params: F.FundIdParams,
    success: { status: 200, description: 'available = deposits - reserved - paid', schema: F.FundView }, errors: [401, 403, 404],
  },
  fundLedger: {
    method: 'get', path: '/funds/{fundId}/ledger', tag: 'funds', summary: 'The fund\'s double-entry books, oldest first',
    access: READERS, params: F.FundIdParams, query: PageQuery,
    success: { status: 200, description: 'balanced, immutable entries', schema: F.LedgerView }, errors: [401, 403, 404],
  },
  requestDisbursement: {
    method: 'post', path: '/disbursements', tag: 'funds', summary: 'Request a payment from a fund to an enrolled household (or a supplier against a receipt)',
    description: 'Approvals by amount: up to 2,000 yuan one town approval; above, town then county; above 50,000 yuan two distinct county approvers. The requester never approves. Payouts go only to the registered account.',
    access: ['fund_manager'], body: F.DisbursementBody, idempotent: true,
    example: { fundId: 'fund-00000000-0000-4000-8000-000000000001', payee: { type: 'household', householdId: 'hh-00000000-0000-4000-8000-000000000001' }, purpose: 'one_time_relief', amountFen: 150000 },
    success: { status: 201, description: 'the disbursement, awaiting approval', schema: F.DisbursementView }, errors: [400, 401, 403, 404, 409, 422],
  },
  getDisbursement: {
    method: 'get', path: '/disbursements/{disbursementId}', tag: 'funds', summary: 'A disbursement and where it stands',
    access: [...READERS, 'town_official'], params: F.DisbursementIdParams,
    success: { status: 200, description: 'the disbursement', schema: F.DisbursementView }, errors: [401, 403, 404],
  },
  decideDisbursement: {
    method: 'post', path: '/disbursements/{disbursementId}/decisions', tag: 'funds', summary: 'Approve or reject a disbursement (the step due)',
    access: ['town_official', 'county_official'], params: F.DisbursementIdParams, body: F.DisbursementDecisionBody, idempotent: true,
    example: { decision: 'approve', reason: 'household verified; amount within the relief standard' },
    success: { status: 200, description: 'the disbursement after the decision', schema: F.DisbursementView }, errors: [400, 401, 403, 404, 409, 422],
  },
} satisfies Record<string, RouteSpec>;
