import type { RouteSpec } from '../contract/route-spec';

/**
 * The ways a request can fail that follow from a route's shape alone, each with the status the
 * server answers it with. The OpenAPI builder declares them on every operation they apply to,
 * and test/api/openapi.api.test.ts sends one request of each kind to each operation and checks
 * the answer.
 */
export type FailureKind =
  | 'bad-path-param'
  | 'bad-query'
  | 'bad-body'
  | 'malformed-json'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'bad-idempotency-key'
  | 'idempotency-key-in-progress'
  | 'idempotency-key-reused'
  | 'no-token'
  | 'wrong-role'
  | 'headers-too-large'
  | 'internal'
  | 'unavailable';

export interface Failure {
  kind: FailureKind;
  status: number;
  /** Why, as the document says it. */
  why: string;
}

/** Every authenticated POST accepts an Idempotency-Key (the interceptor runs on all of them). */
export const acceptsIdempotencyKey = (spec: RouteSpec): boolean => spec.method === 'post' && spec.access !== 'public';

/** The media types a route's body may come in; anything else is 415. */
export const bodyMediaTypes = (spec: RouteSpec): string[] => (spec.body ? ['application/json', ...Object.keys(spec.otherBodies ?? {})] : []);

export function failuresOf(spec: RouteSpec): Failure[] {
  const out: Failure[] = [];
  if (spec.params) out.push({ kind: 'bad-path-param', status: 400, why: 'a path parameter is not valid' });
  if (spec.query) {
    const cursor = 'cursor' in spec.query.shape ? ' (a `cursor` must be a `nextCursor` from an earlier page)' : '';
    out.push({ kind: 'bad-query', status: 400, why: `a query parameter is not valid${cursor}` });
  }
  if (spec.body) {
    out.push(
      { kind: 'bad-body', status: 400, why: 'the body is not valid (`errors` names each bad field)' },
      { kind: 'malformed-json', status: 400, why: 'the body is not well-formed JSON' },
      { kind: 'body-too-large', status: 413, why: 'the body is too large' },
      { kind: 'unsupported-media-type', status: 415, why: `the body is not sent as ${bodyMediaTypes(spec).join(' or ')}` },
    );
  }
  if (acceptsIdempotencyKey(spec)) {
    out.push(
      { kind: 'bad-idempotency-key', status: 400, why: 'the Idempotency-Key is not 1 to 200 visible ASCII characters' },
      {
        kind: 'idempotency-key-in-progress',
        status: 409,
        why: 'the first request with this Idempotency-Key is still running (retry after Retry-After seconds)',
      },
      { kind: 'idempotency-key-reused', status: 422, why: 'this Idempotency-Key was used for a different request' },
    );
  }
  if (spec.access !== 'public') out.push({ kind: 'no-token', status: 401, why: 'no bearer token, or not a valid one' });
  if (Array.isArray(spec.access)) out.push({ kind: 'wrong-role', status: 403, why: `the caller's role is not ${spec.access.join(' or ')}` });
  out.push(
    { kind: 'headers-too-large', status: 431, why: 'the request headers are larger than the server takes (16 KB)' },
    { kind: 'internal', status: 500, why: 'a fault on our side; retry with the same Idempotency-Key' },
    {
      kind: 'unavailable',
      status: 503,
      why: 'the database or Temporal did not answer in time; retry after Retry-After seconds (with the same Idempotency-Key)',
    },
  );
  return out;
}

/** What a status listed in a route's own `errors` means, when the route's shape does not say. */
export const ROUTE_STATUS_WHY: Record<number, string> = {
  400: 'the request is not valid',
  401: 'wrong username or password, or the account is deactivated (the same answer whether or not the user exists)',
  403: "the caller may not act on this one (e.g. it is outside their jurisdiction; nobody decides their own or a related household's case)",
  404: 'no such resource',
  409: 'the current state does not allow this (wrong stage, already decided or held, changed since read)',
  413: 'the request is too large',
  415: 'the body is not of a media type this operation takes',
  422: 'well-formed, but the rules refuse it',
  423: 'the account is locked after repeated failed log-ins (`lockedUntil` says until when)',
  503: 'a service this request needs is unavailable; retry after Retry-After seconds',
};

/** Every status an operation can answer with an error, and why: its shape's failures and its own `errors`. */
export function errorStatuses(spec: RouteSpec): Map<number, string[]> {
  const by = new Map<number, string[]>();
  const add = (status: number, why: string) => {
    const list = by.get(status) ?? [];
    if (!list.includes(why)) list.push(why);
    by.set(status, list);
  };
  for (const f of failuresOf(spec)) add(f.status, f.why);
  // A route's own 403, 409 and 422 come from its rules, beside those of its shape.
  for (const status of spec.errors) if (!by.has(status) || [403, 409, 422].includes(status)) add(status, ROUTE_STATUS_WHY[status] ?? 'see the description');
  return new Map([...by.entries()].sort(([a], [b]) => a - b));
}
