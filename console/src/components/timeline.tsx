import type { CaseEvent } from '../api/types';
import { formatTime, useMessages } from '../i18n';

/** The stage timeline, read from the case's own events: what happened, who did it, when, and why. */
export function Timeline({ events }: { events: CaseEvent[] }) {
  const m = useMessages();
  return (
    <ol class="timeline">
      {events.map((e) => {
        const d = e.data as Record<string, unknown>;
        const stage = typeof d.stage === 'string' ? d.stage : typeof d.to === 'string' ? d.to : null;
        const decision = typeof d.decision === 'string' ? (m.decisions[d.decision] ?? d.decision) : null;
        const words = [d.reason, d.grounds, d.finding, d.why].find((x) => typeof x === 'string') as string | undefined;
        const votes = d.votes as { present: number; representatives: number; for: number } | undefined;
        return (
          <li key={e.seq} data-type={e.type}>
            <span class="when">{formatTime(e.at)}</span>
            <strong>{m.events[e.type] ?? e.type}</strong>
            {stage && <span> · {m.stages[stage] ?? stage}</span>}
            {decision && <span> · {decision}</span>}
            {votes && (
              <span>
                {' '}
                · {votes.for}/{votes.present}/{votes.representatives}
              </span>
            )}
            {words && <p class="quote">{words}</p>}
            <span class="muted small"> {e.actor}</span>
          </li>
        );
      })}
    </ol>
  );
}
