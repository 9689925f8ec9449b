import { api } from '../api/client';
import type { CaseView } from '../api/types';
import { DecisionForm } from '../components/decision-form';
import { Household } from '../components/household';
import { Objections } from '../components/objections';
import { ComparisonQueries } from '../components/queries';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { Timeline } from '../components/timeline';
import { formatTime, useMessages } from '../i18n';
import { usePlaceName } from '../places';
import type { Session } from '../session';

const RESOLVERS = ['village_official', 'town_official', 'county_official'];

/**
 * A case: where it stands, the household, its timeline (officials), the decision form of the
 * current stage for the role that decides it, and its objections. What the API refuses
 * (another village's case: 403) is shown as such, not as an empty page.
 */
export function CasePage({ caseId, session }: { caseId: string; session: Session }) {
  const m = useMessages();
  const place = usePlaceName();
  const role = session.user.role;
  const official = role !== 'applicant';
  const c = useLoad(() => api.GET('/cases/{caseId}', { params: { path: { caseId } } }), [caseId]);
  const ev = useLoad(
    () =>
      official
        ? api.GET('/cases/{caseId}/events', { params: { path: { caseId }, query: { limit: 100 } } })
        : // An applicant reads the case, not its events: an empty page that is never shown.
          Promise.resolve({
            data: { caseId, streamId: caseId, events: [], nextCursor: null, chain: { verified: false, eventsChecked: 0, brokenAt: null, problem: null } },
            response: new Response(),
          }),
    [caseId, c.data?.version],
  );

  if (c.loading && !c.data) return <Loading />;
  if (!c.data) {
    return (
      <section>
        <h1>{m.case.title}</h1>
        {c.problem?.status === 403 ? (
          <p class="alert alert-error" role="alert" data-problem="403">
            {m.case.cannotRead}
          </p>
        ) : (
          <ProblemMessage problem={c.problem} />
        )}
      </section>
    );
  }
  const v = c.data;
  const task = v.pendingTask;
  const mayDecide = task?.kind === 'decision' && task.role.includes(role as never);
  const mayResolve = RESOLVERS.includes(role) && (task?.kind !== 'objections' || task.role.includes(role as never));
  const updated = (next?: CaseView) => (next ? c.set(next) : c.reload());

  return (
    <section>
      <h1>
        {m.case.title} <span class="mono small">{v.caseId}</span>
      </h1>
      <section class="card" aria-labelledby="where-h">
        <h2 id="where-h" class="stage-now" data-stage={v.stage}>
          {m.stages[v.stage] ?? v.stage} · {m.statuses[v.status] ?? v.status}
        </h2>
        <dl class="facts">
          <dt>{m.case.place}</dt>
          <dd>
            {place(v.location.town)} {place(v.location.village)}
          </dd>
          <dt>{m.case.due}</dt>
          <dd>{formatTime(v.deadlines.stageDueAt)}</dd>
          {v.publicity && (
            <>
              <dt>{m.case.publicityEnds}</dt>
              <dd>
                {formatTime(v.publicity.endsAt)} {v.publicity.ended && `(${m.case.publicityEnded})`}
              </dd>
            </>
          )}
          {task && (
            <>
              <dt>{m.case.pending}</dt>
              <dd>
                {m.stages[task.stage] ?? task.stage} · {task.role.map((r) => m.roles[r] ?? r).join(' / ')}
                {task.holder && ` · ${m.inbox.holder} ${task.holder}`}
              </dd>
            </>
          )}
          {/* The last reason given (a return, a refusal) while it still explains where the case stands. */}
          {v.reason && (v.status === 'rejected' || v.status === 'open') && (
            <>
              <dt>{m.case.reason}</dt>
              <dd class="reason">{v.reason}</dd>
            </>
          )}
          <dt>{m.case.householdHash}</dt>
          <dd class="mono small">{v.householdHash.slice(0, 16)}</dd>
        </dl>
      </section>
      {mayDecide && <DecisionForm key={`${v.stage}-${v.version}`} view={v} onDecided={updated} />}
      <Household household={v.household} />
      <Objections view={v} mayResolve={mayResolve} onChanged={updated} />
      <ComparisonQueries view={v} mayResolve={role === 'town_official'} onChanged={updated} />
      {official && (
        <section class="card" aria-labelledby="timeline-h">
          <h2 id="timeline-h">{m.case.timeline}</h2>
          {ev.data ? <Timeline events={ev.data.events} /> : ev.problem ? <ProblemMessage problem={ev.problem} /> : <Loading />}
        </section>
      )}
    </section>
  );
}
