/** Events of a fund's stream; the ledger projection turns each into a balanced entry. */
export const FUND_SOURCES = ['budget', 'donation', 'higher_level_grant'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];

export type FundEvent =
  | { type: 'FundOpened'; data: { fundId: string; name: string; jurisdiction: string; account: string; currency: 'CNY' } }
  | { type: 'Deposited'; data: { amountFen: number; source: FundSource; reference: string } }
  | { type: 'Reserved'; data: { disbursementId: string; amountFen: number } }
  | { type: 'Paid'; data: { disbursementId: string; amountFen: number; purpose: string; paymentId: string } }
  | { type: 'Released'; data: { disbursementId: string; amountFen: number } }
  /**
   * A revolving loan's repayment came back to the pool (issue #10). Cash and bank transfers are
   * cash again (available for the next batch); in kind (a calf) is not cash and never funds a batch.
   */
  | { type: 'Recovered'; data: { loanId: string; repaymentId: string; amountFen: number; method: RecoveryMethod } }
  /** A mistaken repayment undone: the recovery's effect is taken back. */
  | { type: 'RecoveryReversed'; data: { loanId: string; repaymentId: string; amountFen: number; method: RecoveryMethod } }
  /** What a written-off loan still owed leaves the receivable. */
  | { type: 'WrittenOff'; data: { loanId: string; amountFen: number } };

export const RECOVERY_METHODS = ['cash', 'bank_transfer', 'in_kind'] as const;
export type RecoveryMethod = (typeof RECOVERY_METHODS)[number];
