import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import { Loading, Notice, ProblemMessage, useLoad } from '../components/status';
import { FUND_READERS, type Session } from '../session';
import { formatTime, formatYuan, useMessages } from '../i18n';

/** Who approves each level (the API checks it again, with the jurisdiction and separation of duties). */
const APPROVER: Record<string, string> = { town: 'town_official', county: 'county_official' };

/** The last four characters of an id: enough to tell households apart on a phone, no more. */
const tail = (id: string) => `…${id.slice(-4)}`;

/**
 * 资金拨付审批: one payment from a fund — the fund, the household (account masked), the amount
 * from integer fen, the step due — and the approve / reject form for its approver. Separation
 * of duties (the requester never approves, two county approvals by two people) is the API's:
 * what it refuses is shown in its own words.
 */
export function PaymentPage({ disbursementId, session }: { disbursementId: string; session: Session }) {
  const m = useMessages();
  const d = useLoad(() => api.GET('/disbursements/{disbursementId}', { params: { path: { disbursementId } } }), [disbursementId]);
  const fundId = d.data?.fundId;
  // Town approvers read no fund: for them the fund is named by its id.
  const fund = useLoad(
    () =>
      fundId && FUND_READERS.includes(session.user.role)
        ? api.GET('/funds/{fundId}', { params: { path: { fundId } } })
        : Promise.resolve({ data: undefined, error: undefined, response: new Response(null, { status: 204 }) }),
    [fundId],
  );
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const { key, answered } = useIdempotencyKey();

  if (d.loading && !d.data) return <Loading />;
  const x = d.data;
  if (!x) {
    return (
      <section>
        <h1>{m.payment.title}</h1>
        <ProblemMessage problem={d.problem} />
      </section>
    );
  }
  const due = x.status === 'awaiting_approval' ? x.requiredApprovals[x.approvals.length] : undefined;
  const mayDecide = due !== undefined && APPROVER[due] === session.user.role;

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    setDone(false);
    setBusy(true);
    const { data, error, response } = await api.POST('/disbursements/{disbursementId}/decisions', {
      params: { path: { disbursementId }, header: { 'Idempotency-Key': key } },
      body: { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    setReason('');
    setDone(true);
    d.set(data);
  };

  return (
    <section>
      <h1>{m.payment.title}</h1>
      <section class="card" aria-labelledby="payment-h" data-status={x.status}>
        <h2 id="payment-h">
          {formatYuan(x.amountFen)} · {m.purposes[x.purpose] ?? x.purpose}
        </h2>
        <dl class="facts">
          <dt>{m.payment.fund}</dt>
          <dd>{fund.data?.name ?? <span class="mono small">{x.fundId}</span>}</dd>
          <dt>{x.payee.type === 'household' ? m.payment.household : m.payment.supplier}</dt>
          <dd class="mono">{x.payee.type === 'household' ? tail(x.payee.id) : x.payee.id}</dd>
          <dt>{m.payment.account}</dt>
          <dd class="mono">{x.payee.accountMasked}</dd>
          <dt>{m.payment.amount}</dt>
          <dd data-amount>{formatYuan(x.amountFen)}</dd>
          <dt>{m.payment.status}</dt>
          <dd data-payment-status={x.status}>{m.payment.statuses[x.status] ?? x.status}</dd>
          <dt>{m.payment.stage}</dt>
          <dd>{due ? m.stages[`disbursement_approval_${due}`] : '—'}</dd>
          <dt>{m.payment.approvals}</dt>
          <dd>{x.approvals.map((a) => `${m.payment.level[a.level] ?? a.level}：${a.by}`).join('；') || m.common.none}</dd>
          <dt>{m.payment.requestedBy}</dt>
          <dd>
            {x.requestedBy} · {formatTime(x.requestedAt)}
          </dd>
          {x.reason && (
            <>
              <dt>{m.payment.reason}</dt>
              <dd class="reason">{x.reason}</dd>
            </>
          )}
        </dl>
      </section>
      {done && <Notice>{m.payment.decided}</Notice>}
      {mayDecide ? (
        <form class="card form" onSubmit={submit} aria-labelledby="pay-decide-h">
          <h2 id="pay-decide-h">{m.payment.decide}</h2>
          <fieldset>
            <legend>{m.payment.decide}</legend>
            <div class="choices">
              {(['approve', 'reject'] as const).map((v) => (
                <label key={v} class="choice">
                  <input type="radio" name="decision" value={v} checked={decision === v} onChange={() => setDecision(v)} />
                  {v === 'approve' ? m.payment.approve : m.payment.reject}
                </label>
              ))}
            </div>
          </fieldset>
          <label>
            {m.payment.reasonLabel}
            <textarea
              name="reason"
              rows={3}
              required={decision === 'reject'}
              maxLength={2000}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <ProblemMessage problem={problem} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? m.payment.submitting : m.payment.submit}
          </button>
        </form>
      ) : (
        !done && <p class="muted">{m.payment.nothingToDecide}</p>
      )}
    </section>
  );
}
