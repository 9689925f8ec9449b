/**
 * The county run's HTTP side: every act goes through the public API as the official whose
 * act it is (scripts/county.mjs starts the servers; county-run.ts drives the stages).
 */
export interface CountyApi {
  get<T>(as: string, path: string): Promise<T>;
  post<T>(as: string, path: string, body: unknown, idempotencyKey: string): Promise<T>;
}

/** Retries what a loaded machine may answer with (503, a reset connection) a few times; anything else is the run's failure. */
export function countyApi(apiUrl: string, tokenOf: (userId: string) => string): CountyApi {
  async function call<T>(as: string, method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let text = '';
      try {
        const res = await fetch(`${apiUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${tokenOf(as)}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        status = res.status;
        text = await res.text();
        if (status < 400) return JSON.parse(text) as T;
      } catch (e) {
        text = (e as Error).message;
      }
      const transient = status === 0 || status === 503 || status === 502;
      if (!transient || attempt >= 8) throw new Error(`${method} ${path} as ${as}: ${status} ${text.slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  return {
    get: (as, path) => call(as, 'GET', path),
    post: (as, path, body, key) => call(as, 'POST', path, body, key),
  };
}

/** Runs `work` over `items`, at most `size` at a time. */
export async function inParallel<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(size, queue.length) }, worker));
}
