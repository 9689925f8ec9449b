import type { UserRecord } from '../directory/directory';

/** A small HTTP client for the demo: acts as any demo user, fails loudly on surprises. */
export class DemoClient {
  constructor(
    private readonly apiUrl: string,
    private readonly users: UserRecord[],
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call<T = any>(method: 'GET' | 'POST', path: string, as: string, body?: unknown, expect?: number[]): Promise<{ status: number; body: T }> {
    const token = this.users.find((u) => u.userId === as)?.token;
    if (!token) throw new Error(`no demo user ${as}`);
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as T;
    if (expect ? !expect.includes(res.status) : res.status >= 400) {
      throw new Error(`${method} ${path} as ${as}: ${res.status} ${JSON.stringify(json)}`);
    }
    return { status: res.status, body: json };
  }

  /** A text answer (a printable receipt), as any demo user. */
  async text(path: string, as: string): Promise<string> {
    const token = this.users.find((u) => u.userId === as)?.token;
    const res = await fetch(`${this.apiUrl}${path}`, { headers: { authorization: `Bearer ${token ?? ''}` } });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${path} as ${as}: ${res.status} ${body.slice(0, 300)}`);
    return body;
  }

  /** Polls `done` until it holds; fails naming `what` after `timeoutMs`. */
  async waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > until) throw new Error(`waited in vain for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async waitForStage(caseId: string, stages: string[], timeoutMs: number): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await this.call<{ stage: string }>('GET', `/cases/${caseId}`, 'county-office');
      if (stages.includes(body.stage)) return body.stage;
      if (Date.now() > until) throw new Error(`case ${caseId} stayed at ${body.stage}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async waitForPublicityEnd(caseId: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await this.call<{ publicity: { ended: boolean } | null }>('GET', `/cases/${caseId}`, 'county-office');
      if (!body.publicity || body.publicity.ended) return;
      if (Date.now() > until) throw new Error(`publicity of ${caseId} did not end`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
