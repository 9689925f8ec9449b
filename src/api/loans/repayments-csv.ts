import { formatYuan } from '../../domain/funds/money';
import type { RepaymentRow } from '../../store/projections/loans-queries';
import { cell } from '../funds/payouts.service';

const METHOD: Record<RepaymentRow['method'], string> = { cash: '现金 cash', bank_transfer: '银行转账 bank transfer', in_kind: '实物 in kind' };

/** Each column: its header (Chinese, then the English name a program reads) and its value. */
const COLUMNS: [header: string, value: (r: RepaymentRow) => string | number | null][] = [
  ['还款编号 repayment_id', (r) => r.repaymentId],
  ['贷款编号 loan_id', (r) => r.loanId],
  ['农户编号 household_id', (r) => r.householdId],
  ['村代码 village_code', (r) => r.village],
  ['收款日期 received_on', (r) => r.receivedOn],
  ['方式 method', (r) => METHOD[r.method]],
  ['收据号或凭证号 reference', (r) => r.reference],
  ['金额(分) amount_fen', (r) => r.amountFen],
  ['金额(元) amount_yuan', (r) => formatYuan(r.amountFen)],
  ['经办人 recorded_by', (r) => r.recordedBy],
  ['实物 in_kind', (r) => r.inKind?.description ?? null],
  ['已冲正 reversed', (r) => (r.reversedAt ? '是 yes' : '否 no')],
  ['冲正原因 reversal_reason', (r) => r.reversalReason],
];

/**
 * Every repayment of a scheme as CSV that opens in Excel as it is: UTF-8 with a BOM (else
 * Excel reads the Chinese as mojibake), one header row, CRLF line ends; money as integer fen
 * and as yuan text formatted from the fen (never through a float). Reversed repayments stay,
 * marked, as in the books.
 */
export function repaymentsCsv(rows: RepaymentRow[]): string {
  const lines = [COLUMNS.map(([h]) => cell(h)).join(','), ...rows.map((r) => COLUMNS.map(([, v]) => cell(v(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
