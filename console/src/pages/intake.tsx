import { useEffect, useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import { Notice, ProblemMessage } from '../components/status';
import { downloadFromApi } from '../download';
import { useMessages } from '../i18n';
import type { Session } from '../session';

type Batch = NonNullable<Awaited<ReturnType<typeof readBatch>>['data']>;
const readBatch = (batchId: string) => api.GET('/intake/batches/{batchId}', { params: { path: { batchId } } });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An Excel workbook by its name or its type (a phone may give either). */
export const isXlsx = (file: File): boolean => /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;

/**
 * A file as text: UTF-8 if it is valid UTF-8, else GB18030 (what Excel on Chinese Windows
 * saves). The API then receives UTF-8 either way.
 */
export function decodeCsv(bytes: ArrayBuffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** 批量导入: a village official uploads a CSV or an Excel workbook of households and watches the rows become cases, or see why not. */
export function IntakePage({ session }: { session: Session }) {
  const m = useMessages();
  const own = session.user.jurisdiction;
  const [village, setVillage] = useState(own.length === 12 ? own : '');
  const [file, setFile] = useState<File | null>(null);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const { key, answered } = useIdempotencyKey();

  // Progress: the batch is read again every two seconds until it is done.
  useEffect(() => {
    if (!batch || batch.status === 'done') return;
    const t = setTimeout(async () => {
      const { data } = await readBatch(batch.batchId);
      if (data) setBatch(data);
    }, 2000);
    return () => clearTimeout(t);
  }, [batch]);

  const template = async (path: '/intake/template.xlsx' | '/intake/template.csv', name: string) => {
    setProblem(null);
    setProblem(await downloadFromApi(path, name));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    if (!file) return setProblem({ detail: m.intake.noFile });
    setBusy(true);
    const bytes = await file.arrayBuffer();
    // A workbook goes as its raw bytes with its own type; a CSV as UTF-8 text (decoded here from UTF-8 or GB18030).
    const [body, type] = isXlsx(file) ? [new Blob([bytes], { type: XLSX_TYPE }), XLSX_TYPE] : [decodeCsv(bytes), 'text/csv; charset=utf-8'];
    const { data, error, response } = await api.POST('/intake/batches', {
      params: { query: { village }, header: { 'Idempotency-Key': key } },
      body: body as never, // the route's file body: sent as it is
      bodySerializer: (b: unknown) => b as string,
      headers: { 'Content-Type': type },
    });
    setBusy(false);
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    setBatch(data);
  };

  return (
    <section>
      <h1>{m.intake.title}</h1>
      <form class="form" onSubmit={submit}>
        <label>
          {m.intake.village}
          <input name="village" inputMode="numeric" pattern="\d{12}" required value={village} onInput={(e) => setVillage(e.currentTarget.value.trim())} />
        </label>
        <label>
          {m.intake.file}
          <input name="file" type="file" accept={`.csv,text/csv,.xlsx,${XLSX_TYPE}`} required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? m.intake.uploading : m.intake.upload}
          </button>
          <button type="button" onClick={() => template('/intake/template.xlsx', 'intake-template.xlsx')}>
            {m.intake.templateXlsx}
          </button>
          <button type="button" onClick={() => template('/intake/template.csv', 'intake-template.csv')}>
            {m.intake.templateCsv}
          </button>
        </div>
      </form>
      <ProblemMessage problem={problem} />
      {batch && (
        <section class="card batch" aria-labelledby="batch-h" data-status={batch.status}>
          <h2 id="batch-h">{batch.status === 'done' ? m.intake.done : m.intake.progress(batch.processed, batch.total)}</h2>
          <progress max={batch.total} value={batch.processed} aria-labelledby="batch-h" />
          <p>
            {m.intake.accepted(batch.accepted.length)} · {m.intake.rejected(batch.rejected.length)}
          </p>
          {batch.status === 'done' && batch.rejected.length === 0 && <Notice>{m.intake.done}</Notice>}
          {batch.rejected.length > 0 && (
            <div class="table-wrap" role="region" aria-label={m.intake.rejected(batch.rejected.length)} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.intake.line}</th>
                    <th scope="col">{m.intake.errors}</th>
                  </tr>
                </thead>
                <tbody>
                  {batch.rejected.map((r) => (
                    <tr key={r.line} data-line={r.line}>
                      <td>{r.line}</td>
                      <td class="wrap">
                        {r.errors.map((x) => (
                          <span key={x.path} class="member-line">
                            <code>{x.path}</code>: {x.message}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </section>
  );
}
