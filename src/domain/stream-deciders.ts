/**
 * Each stream type's decider: the rules every append to a stream of that type goes through
 * (`src/store/handle.ts`). A new stream type in `streams.ts` fails to compile until it is here.
 */
import { auditDecider } from './audit/audit';
import { caseDecider } from './case/decider';
import type { DomainEvent, StreamDecider } from './decider';
import { disbursementDecider } from './funds/disbursement';
import { fundDecider } from './funds/fund';
import { reconciliationDecider } from './funds/reconciliation-events';
import { helpPlanDecider } from './help/help-plan';
import { helperDecider } from './help/helpers';
import { pairingDecider } from './help/pairing';
import { reviewDecider } from './help/review';
import { batchDecider } from './loans/batch';
import { householdDecider } from './member-transfer';
import { loanDecider } from './loans/loan';
import { schemeDecider } from './loans/scheme';
import type { StreamType } from './streams';
import { userDecider } from './users/user-events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of deciders over different states and commands
export type AnyStreamDecider = StreamDecider<any, any, DomainEvent>;

export const STREAM_DECIDERS: { readonly [T in StreamType]: AnyStreamDecider } = {
  case: caseDecider,
  fund: fundDecider,
  disbursement: disbursementDecider,
  reconciliation: reconciliationDecider,
  audit: auditDecider,
  'loan-scheme': schemeDecider,
  'loan-batch': batchDecider,
  loan: loanDecider,
  user: userDecider,
  helper: helperDecider,
  pairing: pairingDecider,
  'help-plan': helpPlanDecider,
  review: reviewDecider,
  household: householdDecider,
};
