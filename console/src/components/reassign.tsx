import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import { useMessages } from '../i18n';
import { Notice, ProblemMessage } from './status';

/**
 * 改派: a supervisor gives a stalled step's task to another official of its role and place, with a
 * reason recorded on the case (issue #13). The server checks the new holder and names the field.
 */
export function ReassignTask({ taskId, onReassigned }: { taskId: string; onReassigned: () => void }) {
  const m = useMessages();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const { key, answered } = useIdempotencyKey();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/tasks/{taskId}/reassign', {
      params: { path: { taskId }, header: { 'Idempotency-Key': key } },
      body: { toUserId: to.trim(), reason: reason.trim() },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    setDone(data.holder ?? to.trim());
    onReassigned();
  };
  return (
    <form class="form nested" onSubmit={submit} aria-label={m.oversight.reassignTitle}>
      {done && <Notice>{m.oversight.reassigned(done)}</Notice>}
      <label>
        {m.oversight.reassignTo}
        <input name="toUserId" required maxLength={64} value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <label>
        {m.oversight.reassignReason}
        <textarea name="reason" rows={2} required maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <ProblemMessage problem={problem} />
      <button type="submit" disabled={busy}>
        {busy ? m.common.saving : m.oversight.reassignSubmit}
      </button>
    </form>
  );
}
