import { assertContract } from './response-contract';

/** What a test's request got back: the status, the body parsed as JSON when it is JSON, the headers. */
export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface CallOptions {
  /** A demo user id (their API token) or a token itself. */
  as?: string;
  body?: unknown;
  /** A body sent as it is (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

export type Call = (method: string, path: string, opts?: CallOptions) => Promise<Reply>;

/**
 * Calls the API at `baseUrl` as a client would: a bearer token by user id, JSON in and out.
 * Every answer is checked against the OpenAPI document (status, content type, body), so a test
 * fails where a route drifts from its contract.
 */
export function httpCaller(baseUrl: string, tokens: Record<string, string>): Call {
  return async (method, path, { as, body, raw, headers = {} } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(as ? { authorization: `Bearer ${tokens[as] ?? as}` } : {}),
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
    });
    const text = await res.text();
    assertContract({ method, path, status: res.status, headers: res.headers, text });
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
}
