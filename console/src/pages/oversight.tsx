import { api } from '../api/client';
import type { Stalled, SummaryRow } from '../api/types';
import { useState } from 'preact/hooks';
import type { Problem } from '../api/client';
import { ReassignTask } from '../components/reassign';
import { Loading, ProblemMessage, useLoad } from '../components/status';
import { downloadFromApi } from '../download';
import { download, toCsv } from '../csv';
import { formatDate, formatTime, useMessages } from '../i18n';
import { usePlaceName } from '../places';
import { Link } from '../router';

/** Average age per stage over all areas, weighted by open cases: what the ageing chart shows. */
function ageByStage(rows: SummaryRow[]): { stage: string; days: number; open: number }[] {
  const by = new Map<string, { days: number; open: number }>();
  for (const r of rows) {
    const s = by.get(r.stage) ?? { days: 0, open: 0 };
    by.set(r.stage, { days: s.days + r.averageAgeDays * r.open, open: s.open + r.open });
  }
  return [...by].map(([stage, s]) => ({ stage, days: s.open ? s.days / s.open : 0, open: s.open }));
}

/** 督查: stalled cases (each a link into the case) and the summary by stage and area, with an ageing chart; CSV of what is shown, and the server's .xlsx of the same list. */
export function OversightPage() {
  const m = useMessages();
  const place = usePlaceName();
  // The same filters for the list shown and for the server's Excel export of it.
  const stalledQuery = { limit: 100 };
  const stalled = useLoad(() => api.GET('/supervision/stalled', { params: { query: stalledQuery } }), []);
  const [exportProblem, setExportProblem] = useState<Problem | null>(null);
  const [reassigning, setReassigning] = useState<string | null>(null);
  const exportStalledXlsx = async () => {
    setExportProblem(null);
    setExportProblem(await downloadFromApi('/supervision/stalled', 'stalled-cases.xlsx', { ...stalledQuery, format: 'xlsx' }));
  };
  // The route also answers CSV and xlsx (format=…); asked without a format, it answers JSON.
  const stalledList = typeof stalled.data === 'object' ? stalled.data : undefined;
  const summary = useLoad(() => api.GET('/supervision/summary', { params: { query: { by: 'town' } } }), []);
  const ages = summary.data ? ageByStage(summary.data.rows) : [];
  const maxAge = Math.max(1, ...ages.map((a) => a.days));

  const exportStalled = (items: Stalled[]) =>
    download(
      'stalled-cases.csv',
      toCsv([
        [
          m.oversight.caseId,
          m.oversight.stage,
          m.oversight.place,
          m.oversight.holder,
          m.inbox.due,
          m.oversight.daysOverdue,
          m.oversight.heldSince,
          m.oversight.escalation,
        ],
        ...items.map((s) => [
          s.caseId,
          m.stages[s.stage] ?? s.stage,
          `${place(s.town)} ${place(s.village)}`,
          s.holder,
          s.dueAt,
          s.daysOverdue,
          s.heldSince,
          m.oversight.escalationLevels[s.escalationLevel] ?? s.escalationLevel,
        ]),
      ]),
    );
  const exportSummary = (rows: SummaryRow[]) =>
    download(
      'summary.csv',
      toCsv([
        [m.oversight.stage, m.oversight.place, m.oversight.open, m.oversight.overdue, m.oversight.averageAge, m.oversight.oldestAge],
        ...rows.map((r) => [m.stages[r.stage] ?? r.stage, place(r.jurisdiction), r.open, r.overdue, r.averageAgeDays, r.oldestAgeDays]),
      ]),
    );

  return (
    <section>
      <h1>{m.oversight.title}</h1>
      <section class="card" aria-labelledby="stalled-h">
        <h2 id="stalled-h">{m.oversight.stalled}</h2>
        <ProblemMessage problem={stalled.problem} />
        {stalled.loading && !stalled.data && <Loading />}
        {stalledList && stalledList.items.length === 0 && <p>{m.oversight.none}</p>}
        {stalledList && stalledList.items.length > 0 && (
          <>
            <div class="actions">
              <button type="button" onClick={() => exportStalled(stalledList.items)}>
                {m.common.exportCsv}
              </button>
              <button type="button" onClick={exportStalledXlsx}>
                {m.common.exportXlsx}
              </button>
            </div>
            <ProblemMessage problem={exportProblem} />
            <div class="table-wrap" role="region" aria-label={m.oversight.stalled} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.oversight.caseId}</th>
                    <th scope="col">{m.oversight.stage}</th>
                    <th scope="col">{m.oversight.place}</th>
                    <th scope="col">{m.oversight.holder}</th>
                    <th scope="col">{m.inbox.due}</th>
                    <th scope="col">{m.oversight.daysOverdue}</th>
                    <th scope="col">{m.oversight.heldSince}</th>
                    <th scope="col">{m.oversight.escalation}</th>
                    <th scope="col">{m.oversight.reassign}</th>
                  </tr>
                </thead>
                <tbody>
                  {stalledList.items.map((s) => (
                    <tr key={s.caseId} data-case={s.caseId}>
                      <td>
                        <Link href={`/case/${s.caseId}`} class="mono small">
                          {s.caseId.slice(0, 13)}
                        </Link>
                      </td>
                      <td>{m.stages[s.stage] ?? s.stage}</td>
                      <td>
                        {place(s.town)} {place(s.village)}
                      </td>
                      <td class="holder">{s.holder ?? m.inbox.nobody}</td>
                      <td>{formatDate(s.dueAt)}</td>
                      <td>{s.daysOverdue}</td>
                      <td>{s.heldSince ? formatTime(s.heldSince) : '—'}</td>
                      <td>{m.oversight.escalationLevels[s.escalationLevel] ?? s.escalationLevel}</td>
                      <td>
                        {s.taskId &&
                          (reassigning === s.caseId ? (
                            <ReassignTask taskId={s.taskId} onReassigned={stalled.reload} />
                          ) : (
                            <button type="button" onClick={() => setReassigning(s.caseId)}>
                              {m.oversight.reassign}
                            </button>
                          ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <section class="card" aria-labelledby="summary-h">
        <h2 id="summary-h">{m.oversight.summary}</h2>
        <ProblemMessage problem={summary.problem} />
        {summary.loading && !summary.data && <Loading />}
        {summary.data && (
          <>
            <h3>{m.oversight.ageing}</h3>
            <ul class="bars" aria-label={m.oversight.ageing}>
              {ages.map((a) => (
                <li key={a.stage}>
                  <span class="bar-label">{m.stages[a.stage] ?? a.stage}</span>
                  <meter min={0} max={maxAge} value={a.days} aria-label={m.stages[a.stage] ?? a.stage} />
                  <span class="bar-value">{a.days.toFixed(1)}</span>
                </li>
              ))}
            </ul>
            <button type="button" onClick={() => exportSummary(summary.data!.rows)}>
              {m.common.exportCsv}
            </button>
            <div class="table-wrap" role="region" aria-label={m.oversight.summary} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.oversight.stage}</th>
                    <th scope="col">{m.oversight.place}</th>
                    <th scope="col">{m.oversight.open}</th>
                    <th scope="col">{m.oversight.overdue}</th>
                    <th scope="col">{m.oversight.averageAge}</th>
                    <th scope="col">{m.oversight.oldestAge}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.data.rows.map((r) => (
                    <tr key={r.stage + r.jurisdiction}>
                      <td>{m.stages[r.stage] ?? r.stage}</td>
                      <td>{place(r.jurisdiction)}</td>
                      <td>{r.open}</td>
                      <td>{r.overdue}</td>
                      <td>{r.averageAgeDays.toFixed(1)}</td>
                      <td>{r.oldestAgeDays.toFixed(1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </section>
  );
}
