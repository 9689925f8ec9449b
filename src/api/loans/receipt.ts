import { formatYuan } from '../../domain/funds/money';
import { maskName } from '../../domain/household-membership';
import type { HouseholdRow } from '../../store/projections/households-queries';
import type { LoanDetail, RepaymentRow } from '../../store/projections/loans-queries';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const METHOD: Record<RepaymentRow['method'], string> = { cash: '现金 Cash', bank_transfer: '银行转账 Bank transfer', in_kind: '实物 In kind' };

/**
 * A printable receipt of one repayment: Chinese first, then English; the household named only
 * by its head's masked name and masked ID number (the paper may be handed around the village).
 */
export function receiptHtml(r: { loan: LoanDetail; repayment: RepaymentRow; household?: HouseholdRow; villageName?: string }): string {
  const { loan, repayment: p } = r;
  const head = r.household?.members.find((m) => m.relation === 'head') ?? r.household?.members[0];
  const rows: [string, string][] = [
    ['收据编号 Receipt no.', p.repaymentId],
    [p.method === 'bank_transfer' ? '银行凭证 Bank reference' : '收据号 Receipt number', p.reference],
    ['贷款编号 Loan', loan.loanId],
    ['户主 Head of household', head ? `${maskName(head.name)} (${head.idMasked})` : '—'],
    ['村 Village', `${r.villageName ?? ''} ${loan.village}`.trim()],
    ['金额 Amount', `¥${formatYuan(p.amountFen)} 元 yuan`],
    ['方式 Method', METHOD[p.method]],
    ['收款日期 Received on', p.receivedOn],
    ['经办人 Recorded by', p.recordedBy],
    ['尚欠 Still owed', `¥${formatYuan(loan.outstandingFen)} 元 yuan`],
  ];
  if (p.inKind) rows.push(['实物 In kind', `${p.inKind.description} (估价 valued by ${p.inKind.valuedBy}, 确认 confirmed by ${p.inKind.confirmedBy})`]);
  if (p.reversedAt) rows.push(['已冲正 REVERSED', `${p.reversalReason ?? ''} (${p.reversedBy ?? ''}, ${p.reversedAt.toISOString().slice(0, 10)})`]);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>还款收据 Repayment receipt ${escape(p.repaymentId)}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 40em; margin: 2em auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: .4em .6em; text-align: left; }
th { width: 40%; font-weight: normal; background: #f4f4f4; }
.sign { margin-top: 3em; display: flex; justify-content: space-between; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>还款收据<br><small>Repayment receipt</small></h1>
<table>
${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')}
</table>
<div class="sign"><span>交款人签字 Paid by: ____________</span><span>收款人签字 Received by: ____________</span></div>
</body>
</html>
`;
}
