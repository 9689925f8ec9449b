import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Problem } from '../api/client';
import { useMessages } from '../i18n';

/** A failed request in words: the API's own detail, and each field it names. */
export function ProblemMessage({ problem }: { problem: Problem | null }) {
  const m = useMessages();
  if (!problem) return null;
  const text =
    problem.status === 403
      ? m.common.forbidden
      : problem.status === 404
        ? m.common.notFound
        : problem.status === 409 && !problem.detail
          ? m.common.conflict
          : null;
  return (
    <div class="alert alert-error" role="alert">
      <p>{text ?? problem.detail ?? problem.title ?? m.common.error}</p>
      {text && problem.detail && <p class="muted">{problem.detail}</p>}
      {problem.errors && problem.errors.length > 0 && (
        <>
          <p>{m.common.fieldErrors}</p>
          <ul>
            {problem.errors.map((e) => (
              <li key={e.path}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="alert alert-ok" role="status">
      {children}
    </div>
  );
}

export function Loading() {
  const m = useMessages();
  return (
    <p class="muted" role="status" aria-live="polite">
      {m.common.loading}
    </p>
  );
}

/** Loads once per change of `deps`, and again on `reload()`; the page shows what is loaded or the problem. */
export function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown; response: Response }>, deps: unknown[]) {
  const [state, setState] = useState<{ data: T | null; problem: Problem | null; loading: boolean }>({ data: null, problem: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (r) => {
        if (!live) return;
        if (r.data !== undefined) setState({ data: r.data, problem: null, loading: false });
        else setState({ data: null, problem: { status: r.response.status, ...(r.error as Problem) }, loading: false });
      },
      (e: Error) => live && setState({ data: null, problem: { detail: e.message }, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload, set: (data: T) => setState({ data, problem: null, loading: false }) };
}
