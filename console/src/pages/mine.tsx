import { api } from '../api/client';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { formatDate, formatTime, useMessages } from '../i18n';
import { usePlaceName } from '../places';
import { Link } from '../router';
import type { Session } from '../session';

/**
 * 我的申请: an applicant's own cases in plain words: where each stands, what happens next and
 * by when, and why it was refused if it was. During a publicity period, the village's notice is
 * one click away (anyone may object there).
 */
export function MinePage({ session }: { session: Session }) {
  const m = useMessages();
  const place = usePlaceName();
  const mine = useLoad(() => api.GET('/my/cases', { params: { query: { limit: 20 } } }), [session.user.userId]);
  if (mine.loading && !mine.data) return <Loading />;
  return (
    <section>
      <h1>{m.mine.title}</h1>
      <ProblemMessage problem={mine.problem} />
      {mine.data && mine.data.items.length === 0 && (
        <p>
          {m.mine.empty} <Link href="/apply">{m.nav.apply}</Link>
        </p>
      )}
      <ul class="cards" aria-label={m.mine.title}>
        {mine.data?.items.map((c) => {
          const by = c.publicity?.endsAt ?? c.deadlines.stageDueAt;
          return (
            <li key={c.caseId} class="card mine" data-case={c.caseId}>
              <h2 class="h3">
                {c.household.members.find((x) => x.relation === 'head')?.name} · {place(c.location.village)}
              </h2>
              <dl class="facts">
                <dt>{m.mine.whereNow}</dt>
                <dd class="stage-now" data-stage={c.stage}>
                  {m.stages[c.stage] ?? c.stage} ({m.statuses[c.status] ?? c.status})
                </dd>
                <dt>{m.mine.next}</dt>
                <dd>
                  {m.mine.nextByStage[c.stage] ?? ''}
                  {c.status === 'open' && by && ` · ${m.mine.by(formatDate(by))}`}
                </dd>
                {c.status === 'rejected' && c.reason && (
                  <>
                    <dt>{m.mine.refused}</dt>
                    <dd class="reason">{c.reason}</dd>
                  </>
                )}
                {c.publicity && (
                  <>
                    <dt>{m.case.publicityEnds}</dt>
                    <dd>{formatTime(c.publicity.endsAt)}</dd>
                  </>
                )}
              </dl>
              <div class="actions">
                <Link class="button" href={`/case/${c.caseId}`}>
                  {m.common.open}
                </Link>
                {c.publicity && !c.publicity.ended && (
                  <Link class="button" href={`/notice?village=${c.location.village}&stage=${c.stage}`}>
                    {m.nav.notice}
                  </Link>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
