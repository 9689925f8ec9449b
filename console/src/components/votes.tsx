import { judgeAppraisal } from '../../../src/domain/case/appraisal';
import type { Votes } from '../api/types';
import { useMessages } from '../i18n';

const FIELDS = ['representatives', 'present', 'for', 'against', 'abstain'] as const;

/**
 * The representatives' assembly's votes, with the verdict shown as they are typed: the same
 * rule the server applies (src/domain/case/appraisal.ts: a quorum of two thirds, more than
 * half of those present in favour), imported, not rewritten.
 */
export function VotesField({ votes, onChange }: { votes: Votes; onChange: (v: Votes) => void }) {
  const m = useMessages();
  const verdict = judgeAppraisal(votes);
  const needed = Math.ceil((votes.representatives * 2) / 3);
  const cast = votes.for + votes.against + votes.abstain;
  const lines: [string, boolean][] = [];
  if (votes.representatives > 0)
    lines.push([votes.present >= needed ? m.decide.quorumOk(votes.present, needed) : m.decide.quorumMissing(votes.present, needed), votes.present >= needed]);
  if (cast !== votes.present) lines.push([m.decide.tallyMismatch(cast, votes.present), false]);
  else if (verdict.valid)
    lines.push([verdict.recommended ? m.decide.recommended(votes.for, votes.present) : m.decide.notRecommended(votes.for, votes.present), verdict.recommended]);
  return (
    <fieldset class="votes">
      <legend>{m.decide.votes}</legend>
      <div class="grid5">
        {FIELDS.map((f) => (
          <label key={f}>
            {m.decide[f]}
            <input
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              name={`votes.${f}`}
              value={votes[f]}
              onInput={(e) => onChange({ ...votes, [f]: Math.max(0, Math.trunc(Number(e.currentTarget.value) || 0)) })}
            />
          </label>
        ))}
      </div>
      <div class="quorum" aria-live="polite" data-valid={verdict.valid ? 'yes' : 'no'}>
        {lines.map(([text, ok]) => (
          <p key={text} class={ok ? 'ok' : 'warn'}>
            {text}
          </p>
        ))}
      </div>
    </fieldset>
  );
}
