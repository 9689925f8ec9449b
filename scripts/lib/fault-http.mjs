// The fault run's HTTP clients: the API as demo users (retrying with Idempotency-Keys) and the
// simulated bank's admin view; and a small concurrency pool.
import { sleep } from './fault-settings.mjs';

export function createClients() {
  const figures = { apiRetries: 0, bankRetries: 0 };
  const targets = { apiUrl: undefined, bankUrl: undefined, tokens: undefined };

  /**
   * Calls the API as a demo user, with an Idempotency-Key on every POST, so a retry (after a
   * 5xx, a dropped connection, a timeout or a 409 "still in progress") is the same request.
   */
  async function api(method, path, { as, body, key, timeoutMs = 300_000 } = {}) {
    const until = Date.now() + timeoutMs;
    let wait = 250;
    let last = '';
    for (;;) {
      try {
        const res = await fetch(`${targets.apiUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${targets.tokens[as]}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(120_000),
        });
        const text = await res.text();
        if (res.status < 300) return text ? JSON.parse(text) : undefined;
        last = `${res.status} ${text.slice(0, 300)}`;
        const retryable = res.status >= 500 || res.status === 408 || res.status === 429 || (res.status === 409 && text.includes('idempotency-in-progress'));
        if (!retryable) throw Object.assign(new Error(`${method} ${path} answered ${last}`), { final: true, status: res.status, body: text });
      } catch (e) {
        if (e.final) throw e;
        last = e.message; // no answer: refused, reset, or our own timeout
      }
      if (Date.now() > until) throw new Error(`${method} ${path}: gave up after ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
      figures.apiRetries++;
      await sleep(wait);
      wait = Math.min(wait * 2, 5000);
    }
  }

  /** The bank, retrying its simulated 503s. */
  async function bank(path) {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let text = '';
      try {
        const res = await fetch(`${targets.bankUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
        status = res.status;
        text = await res.text();
        if (status === 200) return JSON.parse(text);
      } catch (e) {
        text = e.message;
      }
      if (attempt >= 30 || (status >= 400 && status < 500)) throw new Error(`bank GET ${path}: ${status} ${text.slice(0, 200)}`);
      figures.bankRetries++;
      await sleep(300);
    }
  }

  return { api, bank, figures, targets };
}

/** Runs `fn` over `items` with at most `limit` at a time; collects errors instead of stopping. */
export async function pool(items, limit, fn) {
  const errors = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        try {
          await fn(items[i], i);
        } catch (e) {
          errors.push({ i, error: e });
        }
      }
    }),
  );
  return errors;
}
