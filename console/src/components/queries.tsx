import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import type { CaseView } from '../api/types';
import { useIdempotencyKey } from '../idempotency';
import { useMessages } from '../i18n';
import { ProblemMessage } from './status';

type Query = CaseView['queries'][number];

/** The town settles one query: cleared (the case goes on) or confirmed (the household is not eligible). */
function ResolveQuery({ caseId, queryId, onResolved }: { caseId: string; queryId: string; onResolved: (v: CaseView) => void }) {
  const m = useMessages();
  const [outcome, setOutcome] = useState<'cleared' | 'confirmed'>('cleared');
  const [reason, setReason] = useState('');
  const { key, answered } = useIdempotencyKey();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/cases/{caseId}/queries/{queryId}/resolution', {
      params: { path: { caseId, queryId }, header: { 'Idempotency-Key': key } },
      body: { outcome, reason: reason.trim() },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    onResolved(data);
  };
  const name = `outcome-${queryId}`;
  return (
    <form class="form nested" onSubmit={submit} aria-label={m.query.resolveTitle}>
      <fieldset>
        <legend>{m.query.resolveTitle}</legend>
        <div class="choices">
          <label class="choice">
            <input type="radio" name={name} value="cleared" checked={outcome === 'cleared'} onChange={() => setOutcome('cleared')} />
            {m.query.cleared}
          </label>
          <label class="choice">
            <input type="radio" name={name} value="confirmed" checked={outcome === 'confirmed'} onChange={() => setOutcome('confirmed')} />
            {m.query.confirmed}
          </label>
        </div>
      </fieldset>
      <label>
        {m.query.reason}
        <textarea name="reason" rows={3} required maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <ProblemMessage problem={problem} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? m.common.saving : m.query.resolve}
      </button>
    </form>
  );
}

/** The case's comparison queries (比对疑点): source, list date, member, state; the town gets the form under each open one. */
export function ComparisonQueries({ view, mayResolve, onChanged }: { view: CaseView; mayResolve: boolean; onChanged: (v?: CaseView) => void }) {
  const m = useMessages();
  return (
    <section class="card" aria-labelledby="queries-h">
      <h2 id="queries-h">{m.query.title}</h2>
      {view.queries.length === 0 && <p>{m.query.none}</p>}
      <ul class="plain">
        {view.queries.map((q: Query) => (
          <li key={q.queryId} class="query" data-status={q.status}>
            <strong>{q.sourceLabel}</strong> · {m.query.listDate} {q.listDate} · {m.query.member} {q.member.name}{' '}
            <span class="mono small">{q.member.idMasked}</span> · <strong>{m.query.status[q.status] ?? q.status}</strong>
            {q.reason && <p class="reason">{q.reason}</p>}
            {q.status === 'open' && mayResolve && view.status === 'open' && (
              <ResolveQuery caseId={view.caseId} queryId={q.queryId} onResolved={(v) => onChanged(v)} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
