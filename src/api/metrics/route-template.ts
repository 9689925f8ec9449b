import type { IncomingMessage } from 'node:http';

/**
 * The route a request matched, as its template (`/cases/{caseId}`), never the URL itself: ids in
 * a label would make a metric series per case. A request no route took is `unmatched`.
 */
export function routeTemplate(req: IncomingMessage): string {
  const path = (req as IncomingMessage & { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path.replace(/:(\w+)/g, '{$1}') : 'unmatched';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The method as a label: any other (TRACE, made-up ones) is `other`, so callers cannot add series. */
export const methodLabel = (method: string | undefined): string => (method && METHODS.has(method) ? method : 'other');
