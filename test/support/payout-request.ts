import { randomUUID } from 'node:crypto';
import { sealAccount } from '../../src/crypto/sealed-field';
import type { ApprovalPolicy } from '../../src/domain/funds/approval-escalation';
import type { ApprovalLevel } from '../../src/domain/funds/approval-policy';
import type { DisbursementEvent } from '../../src/domain/funds/disbursement';
import { locationOf } from '../../src/domain/jurisdiction';
import { VILLAGE } from './fixtures';
import { testPayloadKeys } from './temporal';

export type PayoutRequest = Extract<DisbursementEvent, { type: 'DisbursementRequested' }>['data'];

/**
 * A one-time relief payout to a new household of VILLAGE, as the fund manager requests it, for
 * workflow tests that start `disbursement` directly. The account is sealed as the API seals it.
 */
export function householdPayoutRequest(
  fund: { fundId: string; account: string },
  opts: { amountFen: number; approvals: ApprovalLevel[]; payeeAccount?: string; approvalPolicy?: ApprovalPolicy },
): PayoutRequest {
  const payeeAccount = opts.payeeAccount ?? '6228480011112222';
  return {
    disbursementId: `disb-${randomUUID()}`,
    fundId: fund.fundId,
    fundAccount: fund.account,
    payee: {
      type: 'household',
      householdId: `hh-${randomUUID()}`,
      location: locationOf(VILLAGE),
      account: sealAccount(testPayloadKeys(), payeeAccount),
      accountMasked: `****${payeeAccount.slice(-4)}`,
    },
    purpose: 'one_time_relief',
    amountFen: opts.amountFen,
    requiredApprovals: opts.approvals,
    requestedBy: 'fund-manager',
    ...(opts.approvalPolicy && { approvalPolicy: opts.approvalPolicy }),
  };
}
