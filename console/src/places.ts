import { useEffect, useState } from 'preact/hooks';
import { api } from './api/client';

/**
 * Place names for codes, from GET /jurisdictions (the caller's jurisdiction and all under it),
 * loaded once per session. Until they arrive, or for a code outside it, the code is shown.
 */
let names: Map<string, string> | null = null;
let loading: Promise<void> | null = null;

function load(): Promise<void> {
  loading ??= api.GET('/jurisdictions').then(
    ({ data }) => {
      names = new Map((data?.items ?? []).map((j) => [j.code, j.name]));
    },
    () => {
      names = new Map();
    },
  );
  return loading;
}

/** Forget the names (another user logs in on this tab). */
export function forgetPlaces(): void {
  names = null;
  loading = null;
}

export function usePlaceName(): (code: string) => string {
  const [, set] = useState(0);
  useEffect(() => {
    if (!names) void load().then(() => set((n) => n + 1));
  }, []);
  return (code: string) => names?.get(code) ?? code;
}
