import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { LodgeObjection } from '../components/objections';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { formatDate, formatTime, useMessages } from '../i18n';
import { navigate, useLocation } from '../router';
import type { Session } from '../session';

const STAGES = ['village_publicity', 'town_publicity', 'exit_publicity'] as const;
type PublicityStage = (typeof STAGES)[number];

/**
 * 公示: the notice a village posts for a publicity period, printable on A4 (print.css): the
 * households with their members' masked ID numbers, the period, and where to object. On
 * screen, anyone logged in may object to a household right here.
 */
export function NoticePage({ session }: { session: Session }) {
  const m = useMessages();
  const { query } = useLocation();
  const village = query.get('village') ?? (session.user.jurisdiction.length === 12 ? session.user.jurisdiction : '');
  const stage = (STAGES as readonly string[]).includes(query.get('stage') ?? '') ? (query.get('stage') as PublicityStage) : 'village_publicity';
  const [draftVillage, setDraftVillage] = useState(village);
  const [draftStage, setDraftStage] = useState<PublicityStage>(stage);
  const [objecting, setObjecting] = useState<string | null>(null);
  const ready = /^\d{12}$/.test(village);
  const notice = useLoad(
    () =>
      ready
        ? api.GET('/publicity/{village}', { params: { path: { village }, query: { stage } } })
        : Promise.resolve({ data: undefined, error: undefined, response: new Response(null, { status: 204 }) }),
    [village, stage],
  );
  const n = notice.data;
  const villageName = n ? (n.village.name ?? n.village.code) : village;
  const lastEnd = n?.items
    .map((i) => i.endsAt)
    .filter((x): x is string => !!x)
    .sort()
    .at(-1);
  const firstStart = n?.items.map((i) => i.startedAt).sort()[0];

  return (
    <section class="notice">
      <form
        class="form inline no-print"
        aria-label={m.notice.choose}
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/notice?village=${encodeURIComponent(draftVillage)}&stage=${draftStage}`);
        }}
      >
        <label>
          {m.notice.village}
          <input
            name="village"
            inputMode="numeric"
            pattern="\d{12}"
            required
            value={draftVillage}
            onInput={(e) => setDraftVillage(e.currentTarget.value.trim())}
          />
        </label>
        <label>
          {m.notice.stage}
          <select name="stage" value={draftStage} onChange={(e) => setDraftStage(e.currentTarget.value as PublicityStage)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {m.stages[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{m.notice.show}</button>
        {n && (
          <button type="button" onClick={() => window.print()}>
            {m.common.print}
          </button>
        )}
      </form>
      {!ready && <h1>{m.notice.title}</h1>}
      {ready && notice.loading && !n && <Loading />}
      <ProblemMessage problem={ready ? notice.problem : null} />
      {n && (
        <article class="sheet" aria-labelledby="notice-h">
          <h1 id="notice-h">{m.notice.heading(`${n.town.name ?? n.town.code} ${villageName}`, m.stages[n.stage])}</h1>
          <p>
            {m.notice.count(n.items.length)}
            {firstStart && lastEnd && (
              <>
                {' · '}
                {m.notice.period}: {formatDate(firstStart)} – {formatDate(lastEnd)}
              </>
            )}
          </p>
          {n.items.length === 0 ? (
            <p>{m.notice.empty}</p>
          ) : (
            <div class="table-wrap" role="region" aria-label={m.notice.title} tabIndex={0}>
              <table class="notice-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{m.notice.household}</th>
                    <th scope="col">{m.notice.members}</th>
                    <th scope="col">{m.notice.period}</th>
                    <th scope="col" class="no-print">
                      {m.notice.object}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {n.items.map((h, i) => (
                    <tr key={h.caseId} data-case={h.caseId}>
                      <td>{i + 1}</td>
                      <td>{h.members.find((x) => x.relation === 'head')?.name}</td>
                      <td>
                        {h.members.map((x) => (
                          <span key={x.idMasked + x.name} class="member-line">
                            {x.name}（{m.relations[x.relation] ?? x.relation}）<span class="mono">{x.idMasked}</span>
                          </span>
                        ))}
                      </td>
                      <td>{m.notice.until(formatTime(h.endsAt))}</td>
                      <td class="no-print">
                        {!h.ended &&
                          (objecting === h.caseId ? (
                            <LodgeObjection caseId={h.caseId} onLodged={() => undefined} />
                          ) : (
                            <button type="button" onClick={() => setObjecting(h.caseId)}>
                              {m.notice.object}
                            </button>
                          ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="how">{m.notice.objectHow}</p>
          <p class="muted small">{m.notice.asOf(formatTime(n.asOf))}</p>
        </article>
      )}
    </section>
  );
}
