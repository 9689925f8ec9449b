import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { formatTime, formatYuan, useMessages } from '../i18n';
import { Link, useLocation } from '../router';

type FundItem = NonNullable<Awaited<ReturnType<typeof listFunds>>['data']>['items'][number];
const listFunds = (cursor?: string) => api.GET('/funds', { params: { query: { limit: 100, cursor } } });

const FUND_ID = /^fund-[0-9a-f-]{36}$/;
const DAY_MS = 86_400_000;
/** The payouts of the last year (the API's longest period, 366 days), UTC days as the API counts them. */
const lastYear = () => ({ from: new Date(Date.now() - 365 * DAY_MS).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) });

/** 资金: the funds the caller may read to choose from; the chosen fund's payout publicity, balances (available = deposited − reserved − paid), its sources and its double-entry ledger. */
export function FundsPage() {
  const m = useMessages();
  const { query } = useLocation();
  const fundId = query.get('fund') ?? '';
  const ready = FUND_ID.test(fundId);
  const none = () => Promise.resolve({ data: undefined, error: undefined, response: new Response(null, { status: 204 }) });
  const fund = useLoad(() => (ready ? api.GET('/funds/{fundId}', { params: { path: { fundId } } }) : none()), [fundId]);
  const ledger = useLoad(() => (ready ? api.GET('/funds/{fundId}/ledger', { params: { path: { fundId }, query: { limit: 100 } } }) : none()), [fundId]);
  const payouts = useLoad(() => (ready ? api.GET('/funds/{fundId}/payouts', { params: { path: { fundId }, query: lastYear() } }) : none()), [fundId]);
  const list = useLoad(() => listFunds(), []);
  // Further pages of the list, on request (a county rarely has more than a page of funds).
  const [more, setMore] = useState<{ items: FundItem[]; cursor: string | null } | null>(null);
  const [moreProblem, setMoreProblem] = useState<Problem | null>(null);
  const next = more ? more.cursor : (list.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    const { data, error, response } = await listFunds(next);
    if (!data) return setMoreProblem(asProblem(error, response.status));
    setMore({ items: [...(more?.items ?? []), ...data.items], cursor: data.nextCursor });
  };
  const funds = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const f = fund.data;
  const p = payouts.data && typeof payouts.data === 'object' ? payouts.data : null;
  return (
    <section>
      <h1>{m.funds.title}</h1>
      <section class="card" aria-labelledby="funds-h">
        <h2 id="funds-h">{m.funds.choose}</h2>
        <ProblemMessage problem={list.problem ?? moreProblem} />
        {list.loading && !list.data && <Loading />}
        {list.data && list.data.items.length === 0 && <p>{m.funds.noFunds}</p>}
        {funds.length > 0 && (
          <ul class="fund-list">
            {funds.map((x) => (
              <li key={x.fundId} data-fund={x.fundId}>
                <Link href={`/money?fund=${encodeURIComponent(x.fundId)}`} aria-current={x.fundId === fundId ? 'true' : undefined}>
                  {x.name}
                </Link>{' '}
                <span class="muted small">
                  {m.funds.available} {formatYuan(x.balances.availableFen)}
                </span>
              </li>
            ))}
          </ul>
        )}
        {next && (
          <button type="button" onClick={loadMore}>
            {m.common.more}
          </button>
        )}
      </section>
      {ready && fund.loading && !f && <Loading />}
      <ProblemMessage problem={ready ? fund.problem : null} />
      {f && (
        <section class="card" aria-labelledby="fund-h">
          <h2 id="fund-h">{f.name}</h2>
          <dl class="facts balances">
            <dt>{m.funds.deposited}</dt>
            <dd>{formatYuan(f.balances.depositedFen)}</dd>
            <dt>{m.funds.available}</dt>
            <dd data-balance="available">{formatYuan(f.balances.availableFen)}</dd>
            <dt>{m.funds.reserved}</dt>
            <dd>{formatYuan(f.balances.reservedFen)}</dd>
            <dt>{m.funds.paid}</dt>
            <dd>{formatYuan(f.balances.paidFen)}</dd>
            <dt>{m.funds.sources}</dt>
            <dd>{f.sources.map((s) => `${s.source} ${formatYuan(s.amountFen)}`).join('；') || m.common.none}</dd>
          </dl>
          <p class="muted small">
            {f.lastReconciliation ? m.funds.reconciled(f.lastReconciliation.date, f.lastReconciliation.mismatches) : m.funds.neverReconciled}
          </p>
        </section>
      )}
      {p && (
        <section class="card" aria-labelledby="payouts-h">
          <h2 id="payouts-h">{m.funds.payouts}</h2>
          <p class="muted small">{m.funds.payoutsPeriod(p.from, p.to, p.count, formatYuan(p.totalFen))}</p>
          {p.items.length === 0 ? (
            <p>{m.funds.noPayouts}</p>
          ) : (
            <div class="table-wrap" role="region" aria-label={m.funds.payouts} tabIndex={0}>
              <table class="payouts">
                <thead>
                  <tr>
                    <th scope="col">{m.funds.village}</th>
                    <th scope="col">{m.funds.purpose}</th>
                    <th scope="col">{m.funds.amount}</th>
                    <th scope="col">{m.funds.status}</th>
                    <th scope="col">{m.funds.paidDate}</th>
                    <th scope="col">{m.funds.accountMasked}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.items.map((x) => (
                    <tr key={x.disbursementId} data-disbursement={x.disbursementId}>
                      <td>{x.villageName ?? x.village}</td>
                      <td>{m.purposes[x.purpose] ?? x.purpose}</td>
                      <td>{formatYuan(x.amountFen)}</td>
                      <td>{x.status === 'paid' ? m.funds.statusPaid : m.funds.statusApproved}</td>
                      <td>{x.paidDate ?? '—'}</td>
                      <td class="mono">{x.accountMasked}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {ledger.data && (
        <section class="card" aria-labelledby="ledger-h">
          <h2 id="ledger-h">{m.funds.ledger}</h2>
          <div class="table-wrap" role="region" aria-label={m.funds.ledger} tabIndex={0}>
            <table class="ledger">
              <thead>
                <tr>
                  <th scope="col">{m.funds.bookedAt}</th>
                  <th scope="col">{m.funds.kind}</th>
                  <th scope="col">{m.funds.reference}</th>
                  <th scope="col">{m.funds.account}</th>
                  <th scope="col">{m.funds.debit}</th>
                  <th scope="col">{m.funds.credit}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.data.entries.flatMap((e) =>
                  e.lines.map((l, i) => (
                    <tr key={`${e.entryId}-${i}`} data-entry={e.entryId}>
                      <td>{i === 0 ? formatTime(e.bookedAt) : ''}</td>
                      <td>{i === 0 ? e.kind : ''}</td>
                      <td>{i === 0 ? e.reference : ''}</td>
                      <td>{l.account}</td>
                      <td>{l.debitFen ? formatYuan(l.debitFen) : ''}</td>
                      <td>{l.creditFen ? formatYuan(l.creditFen) : ''}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}
