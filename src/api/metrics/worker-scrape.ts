/** How long a scrape waits for the worker's exporter: Prometheus' own timeout is 10 s by default. */
export const WORKER_SCRAPE_TIMEOUT_MS = 2000;

/**
 * The worker's Temporal SDK metrics (its Runtime's Prometheus exporter, WORKER_METRICS_PORT), as
 * text; undefined when the worker does not answer in time or answers other than 200 text.
 */
export async function scrapeWorker(url: string, timeoutMs = WORKER_SCRAPE_TIMEOUT_MS): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain' } });
    const text = await res.text();
    return res.ok ? text : undefined;
  } catch {
    return undefined; // refused, timed out, cut short: the gauge says so
  }
}

/** The family a sample line belongs to: its name less the suffixes a histogram or summary adds. */
const familyOf = (name: string) => name.replace(/_(bucket|sum|count|total|created)$/, '');

/**
 * The API's exposition with the worker's appended. A family the API already has (same name) is
 * left out of the worker's part: a second `# TYPE` for one name would make Prometheus refuse the
 * whole scrape.
 */
export function mergeExpositions(primary: string, secondary: string): string {
  const taken = new Set<string>();
  for (const line of primary.split('\n')) {
    const typed = /^# (?:TYPE|HELP) (\S+)/.exec(line);
    if (typed) taken.add(typed[1]);
    else if (line && !line.startsWith('#')) {
      const name = /^[^{\s]+/.exec(line)?.[0] ?? '';
      taken.add(name).add(familyOf(name));
    }
  }
  const kept: string[] = [];
  let family = '';
  let drop = false;
  for (const line of secondary.split('\n')) {
    if (!line.trim()) continue;
    const typed = /^# (?:TYPE|HELP) (\S+)/.exec(line);
    if (typed) {
      family = typed[1];
      drop = taken.has(family);
    } else if (!line.startsWith('#')) {
      const name = /^[^{\s]+/.exec(line)?.[0] ?? '';
      if (name !== family && familyOf(name) !== family) {
        family = name; // a sample with no # TYPE before it
        drop = taken.has(name) || taken.has(familyOf(name));
      }
    }
    if (!drop) kept.push(line);
  }
  const head = primary.endsWith('\n') ? primary : `${primary}\n`;
  return kept.length ? `${head}${kept.join('\n')}\n` : head;
}
