import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import type { CaseView, Votes } from '../api/types';
import { useMessages } from '../i18n';
import { ProblemMessage } from './status';
import { VotesField } from './votes';

type DecisionStage = 'village_evaluation' | 'town_audit' | 'county_approval' | 'exit_verification';
type Decision = 'approve' | 'reject' | 'return';

/** Where a return is possible (src/domain/case/stages.ts RETURN_TO): the first stage of a procedure has nowhere to go back to. */
const CHOICES: Record<DecisionStage, Decision[]> = {
  village_evaluation: ['approve', 'reject'],
  town_audit: ['approve', 'reject', 'return'],
  county_approval: ['approve', 'reject', 'return'],
  exit_verification: ['approve', 'reject'],
};

/**
 * The decision of the case's current stage. It sends the householdHash of the case as this page
 * read it: if the household record changed meanwhile, the API refuses (409) rather than let
 * anyone decide on a record they have not seen.
 */
export function DecisionForm({ view, onDecided }: { view: CaseView; onDecided: (v: CaseView) => void }) {
  const m = useMessages();
  const stage = view.stage as DecisionStage;
  const [decision, setDecision] = useState<Decision>('approve');
  const [reason, setReason] = useState('');
  const [votes, setVotes] = useState<Votes>({ representatives: 0, present: 0, for: 0, against: 0, abstain: 0 });
  const { key, answered } = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const needsReason = decision !== 'approve';

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/cases/{caseId}/decisions', {
      params: { path: { caseId: view.caseId }, header: { 'Idempotency-Key': key } },
      body: {
        stage,
        decision,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(stage === 'village_evaluation' ? { votes } : {}),
        householdHash: view.householdHash,
      },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    setReason('');
    onDecided(data);
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="decide-h">
      <h2 id="decide-h">
        {m.decide.title} · {m.stages[stage]}
      </h2>
      {stage === 'village_evaluation' && <VotesField votes={votes} onChange={setVotes} />}
      <fieldset>
        <legend>{m.decide.decision}</legend>
        <div class="choices">
          {CHOICES[stage].map((d) => (
            <label key={d} class="choice">
              <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
              {m.decisions[d]}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        {m.decide.reason}
        <span class="muted small"> ({m.decide.reasonHint})</span>
        <textarea name="reason" rows={3} required={needsReason} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <ProblemMessage problem={problem} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? m.common.saving : m.decide.submit}
      </button>
    </form>
  );
}
