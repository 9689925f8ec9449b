import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import type { Task } from '../api/types';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { formatTime, useMessages } from '../i18n';
import { usePlaceName } from '../places';
import { Link } from '../router';
import type { Session } from '../session';

/** 待办: the caller's open tasks, oldest first, with due times; claim one so others see who holds it, or give it back. */
export function InboxPage({ session }: { session: Session }) {
  const m = useMessages();
  const place = usePlaceName();
  const [pages, setPages] = useState<Task[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const first = useLoad(() => api.GET('/tasks', { params: { query: { limit: 50 } } }), []);
  const tasks = [...(first.data?.items ?? []), ...pages.flat()];
  const next = pages.length ? cursor : (first.data?.nextCursor ?? null);

  const more = async () => {
    if (!next) return;
    const { data, error, response } = await api.GET('/tasks', { params: { query: { limit: 50, cursor: next } } });
    if (data) {
      setPages([...pages, data.items]);
      setCursor(data.nextCursor);
    } else setProblem(asProblem(error, response.status));
  };

  const act = async (task: Task, what: 'claim' | 'release') => {
    setProblem(null);
    const path = what === 'claim' ? '/tasks/{taskId}/claim' : '/tasks/{taskId}/release';
    const { data, error, response } = await api.POST(path, { params: { path: { taskId: task.taskId } } });
    if (!data) return setProblem(asProblem(error, response.status));
    const replace = (list: Task[]) => list.map((t) => (t.taskId === data.taskId ? data : t));
    if (first.data) first.set({ ...first.data, items: replace(first.data.items) });
    setPages(pages.map(replace));
  };

  return (
    <section>
      <h1>{m.inbox.title}</h1>
      <ProblemMessage problem={problem ?? first.problem} />
      {first.loading && !first.data && <Loading />}
      {first.data && tasks.length === 0 && <p>{m.inbox.empty}</p>}
      <ul class="cards" aria-label={m.inbox.title}>
        {tasks.map((t) => (
          <li key={t.taskId} class={`card task${t.overdue ? ' overdue' : ''}`} data-case={t.subjectId}>
            <h2 class="h3">
              {m.stages[t.stage] ?? t.stage}
              <span class="tag">{t.kind === 'objections' ? m.inbox.kindObjections : t.kind === 'follow_up' ? m.inbox.kindFollowUp : m.inbox.kindDecision}</span>
              {t.overdue && <span class="tag tag-warn">{m.inbox.overdue}</span>}
            </h2>
            <dl class="facts">
              <dt>{m.inbox.place}</dt>
              <dd>
                {place(t.location.town)} {place(t.location.village)}
              </dd>
              <dt>{m.inbox.due}</dt>
              <dd>{formatTime(t.dueAt)}</dd>
              <dt>{m.inbox.holder}</dt>
              <dd>{t.holder === session.user.userId ? m.inbox.you : (t.holder ?? m.inbox.nobody)}</dd>
            </dl>
            <div class="actions">
              {/* An escalation's follow-up opens the case or payout it is about (issue #13). */}
              {(t.subjectKind === 'case' || (t.subjectKind === 'escalation' && t.subjectId.startsWith('case-'))) && (
                <Link class="button primary" href={`/case/${t.subjectId}`}>
                  {m.inbox.openCase}
                </Link>
              )}
              {/* A comparison query's subject is `{caseId}/{queryId}`: it is settled on its case's page. */}
              {t.subjectKind === 'query' && (
                <Link class="button primary" href={`/case/${t.subjectId.split('/')[0]}`}>
                  {m.inbox.openCase}
                </Link>
              )}
              {(t.subjectKind === 'disbursement' || (t.subjectKind === 'escalation' && t.subjectId.startsWith('disb-'))) && (
                <Link class="button primary" href={`/payment/${t.subjectId}`}>
                  {m.payment.open}
                </Link>
              )}
              {t.holder === session.user.userId ? (
                <button type="button" onClick={() => act(t, 'release')}>
                  {m.inbox.release}
                </button>
              ) : (
                !t.holder && (
                  <button type="button" onClick={() => act(t, 'claim')}>
                    {m.inbox.claim}
                  </button>
                )
              )}
            </div>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" onClick={more}>
          {m.common.more}
        </button>
      )}
    </section>
  );
}
