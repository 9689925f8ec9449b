// The worker bundles this file: every workflow type the engine runs is exported here.
export { identificationCase } from './identification-case';
export { disbursement } from './disbursement';
export { reconciliation, reconcileAllFunds } from './reconciliation';
export { intakeBatch } from './intake-batch';
export { loanBatch } from './loan-batch';
export { revolvingLoan } from './revolving-loan';
export { householdContact } from './household-contact';
export { helpPlan } from './help-plan';
export { annualReview } from './annual-review';
export { referenceListComparison } from './reference-list-comparison';
