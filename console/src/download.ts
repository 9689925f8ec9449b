import { api, asProblem, type Problem } from './api/client';

/** The files the API makes (templates, exports): each needs the bearer token, so they are fetched, not linked. */
type FilePath = '/intake/template.xlsx' | '/intake/template.csv' | '/supervision/stalled';

/** Hands a blob to the browser as a download named `filename`. */
export function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a file from the API with the session's token and saves it; the API's problem if it refuses. */
export async function downloadFromApi(path: FilePath, filename: string, query?: Record<string, string | number>): Promise<Problem | null> {
  const { data, error, response } = await api.GET(path as '/intake/template.csv', {
    params: { query: query as never },
    parseAs: 'blob',
  });
  if (!data || !response.ok) return asProblem(error, response.status);
  saveBlob(filename, data as Blob);
  return null;
}
