import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import type { CaseView } from '../api/types';
import { useMessages } from '../i18n';
import { Notice, ProblemMessage } from './status';

/** Lodging an objection: open to anyone logged in, while the case's publicity period runs. */
export function LodgeObjection({ caseId, onLodged }: { caseId: string; onLodged: () => void }) {
  const m = useMessages();
  const [grounds, setGrounds] = useState('');
  const { key, answered } = useIdempotencyKey();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/cases/{caseId}/objections', {
      params: { path: { caseId }, header: { 'Idempotency-Key': key } },
      body: { grounds: grounds.trim() },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(response.status === 409 ? { status: 409, detail: m.objection.onlyDuringPublicity } : asProblem(error, response.status));
    setDone(true);
    setGrounds('');
    onLodged();
  };
  return (
    <form class="form" onSubmit={submit} aria-label={m.objection.lodgeTitle}>
      {done && <Notice>{m.objection.lodged}</Notice>}
      <label>
        {m.objection.grounds}
        <textarea name="grounds" rows={3} required maxLength={4000} value={grounds} onInput={(e) => setGrounds(e.currentTarget.value)} />
      </label>
      <ProblemMessage problem={problem} />
      <button type="submit" disabled={busy}>
        {busy ? m.common.saving : m.objection.lodge}
      </button>
    </form>
  );
}

/** Resolving one objection after verifying it: substantiated (back for re-examination, or rejected) or not (the case proceeds). */
function ResolveObjection({ objectionId, onResolved }: { objectionId: string; onResolved: (v: CaseView) => void }) {
  const m = useMessages();
  const [substantiated, setSubstantiated] = useState(false);
  const [outcome, setOutcome] = useState<'reexamine' | 'reject'>('reexamine');
  const [finding, setFinding] = useState('');
  const { key, answered } = useIdempotencyKey();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/objections/{objectionId}/resolution', {
      params: { path: { objectionId }, header: { 'Idempotency-Key': key } },
      body: { substantiated, finding: finding.trim(), ...(substantiated ? { outcome } : {}) },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    onResolved(data);
  };
  const name = `substantiated-${objectionId}`;
  return (
    <form class="form nested" onSubmit={submit} aria-label={m.objection.resolveTitle}>
      <fieldset>
        <legend>{m.objection.resolveTitle}</legend>
        <div class="choices">
          <label class="choice">
            <input type="radio" name={name} value="no" checked={!substantiated} onChange={() => setSubstantiated(false)} />
            {m.objection.unsubstantiated}
          </label>
          <label class="choice">
            <input type="radio" name={name} value="yes" checked={substantiated} onChange={() => setSubstantiated(true)} />
            {m.objection.substantiated}
          </label>
        </div>
      </fieldset>
      {substantiated && (
        <label>
          {m.objection.outcome}
          <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as 'reexamine' | 'reject')}>
            <option value="reexamine">{m.objection.reexamine}</option>
            <option value="reject">{m.objection.reject}</option>
          </select>
        </label>
      )}
      <label>
        {m.objection.finding}
        <textarea name="finding" rows={3} required maxLength={4000} value={finding} onInput={(e) => setFinding(e.currentTarget.value)} />
      </label>
      <ProblemMessage problem={problem} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? m.common.saving : m.objection.resolve}
      </button>
    </form>
  );
}

/** The case's objections; an official who may resolve them gets the form under each open one. */
export function Objections({ view, mayResolve, onChanged }: { view: CaseView; mayResolve: boolean; onChanged: (v?: CaseView) => void }) {
  const m = useMessages();
  const publicityOpen = view.publicity !== null && !view.publicity.ended;
  return (
    <section class="card" aria-labelledby="objections-h">
      <h2 id="objections-h">{m.case.objections}</h2>
      {view.objections.length === 0 && <p>{m.case.noObjections}</p>}
      <ul class="plain">
        {view.objections.map((o) => (
          <li key={o.objectionId} class="objection" data-status={o.status}>
            <span class="mono small">{o.objectionId.slice(0, 12)}</span> · {m.stages[o.stage] ?? o.stage} ·{' '}
            <strong>{m.case.objectionStatus[o.status] ?? o.status}</strong>
            {o.status === 'open' && mayResolve && <ResolveObjection objectionId={o.objectionId} onResolved={(v) => onChanged(v)} />}
          </li>
        ))}
      </ul>
      {publicityOpen && (
        <>
          <h3>{m.objection.lodgeTitle}</h3>
          <LodgeObjection caseId={view.caseId} onLodged={() => onChanged()} />
        </>
      )}
    </section>
  );
}
