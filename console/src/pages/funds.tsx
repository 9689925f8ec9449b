import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { formatTime, formatYuan, useMessages } from '../i18n';
import { navigate, useLocation } from '../router';

const FUND_ID = /^fund-[0-9a-f-]{36}$/;

/** 资金: a special fund's balances (available = deposited − reserved − paid), its sources and its double-entry ledger. */
export function FundsPage() {
  const m = useMessages();
  const { query } = useLocation();
  const fundId = query.get('fund') ?? '';
  const [draft, setDraft] = useState(fundId);
  const ready = FUND_ID.test(fundId);
  const none = () => Promise.resolve({ data: undefined, error: undefined, response: new Response(null, { status: 204 }) });
  const fund = useLoad(() => (ready ? api.GET('/funds/{fundId}', { params: { path: { fundId } } }) : none()), [fundId]);
  const ledger = useLoad(() => (ready ? api.GET('/funds/{fundId}/ledger', { params: { path: { fundId }, query: { limit: 100 } } }) : none()), [fundId]);
  const f = fund.data;
  return (
    <section>
      <h1>{m.funds.title}</h1>
      <form
        class="form inline"
        aria-label={m.funds.fundId}
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/money?fund=${encodeURIComponent(draft.trim())}`);
        }}
      >
        <label>
          {m.funds.fundId}
          <input name="fund" required pattern="fund-[0-9a-f\-]{36}" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        </label>
        <button type="submit">{m.funds.show}</button>
      </form>
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
