/** Events of a fund's stream; the ledger projection turns each into a balanced entry. */
export const FUND_SOURCES = ['budget', 'donation', 'higher_level_grant'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];

export type FundEvent =
  | { type: 'FundOpened'; data: { fundId: string; name: string; jurisdiction: string; account: string; currency: 'CNY' } }
  | { type: 'Deposited'; data: { amountFen: number; source: FundSource; reference: string } }
  | { type: 'Reserved'; data: { disbursementId: string; amountFen: number } }
  | { type: 'Paid'; data: { disbursementId: string; amountFen: number; purpose: string; paymentId: string } }
  | { type: 'Released'; data: { disbursementId: string; amountFen: number } }
  | { type: 'Recovered'; data: { loanId: string; repaymentId: string; amountFen: number; method: 'cash' | 'bank_transfer' | 'in_kind' } }
  | { type: 'RecoveryReversed'; data: { loanId: string; repaymentId: string; amountFen: number; method: 'cash' | 'bank_transfer' | 'in_kind' } }
  | { type: 'WrittenOff'; data: { loanId: string; amountFen: number } };
