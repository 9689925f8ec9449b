import type { Request, Response } from 'express';
import { problem } from './problem';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * The methods the app's routes answer on this request's path (HEAD wherever GET), read from
 * the express router itself, so it lists exactly what is served; empty for an unknown path.
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    let matches = false;
    try {
      matches = Boolean(layer.match(req.path));
    } catch {
      /* a path it cannot decode is not one of its */
    }
    if (!matches) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * For a request no route took (Nest's 404): if its path is served with other methods, answer
 * 405 with Allow (RFC 9110), or, for OPTIONS, 204 with Allow. Returns whether it answered.
 */
export function answerOtherMethod(req: Request, res: Response): boolean {
  const served = allowedMethods(req);
  if (!served.length) return false;
  const allow = [...served, 'OPTIONS'].join(', ');
  res.setHeader('Allow', allow);
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return true;
  }
  const p = problem(405, 'method-not-allowed', `${req.method} is not a method of this path; it answers ${allow}`).problem;
  res.status(405).type('application/problem+json').send(JSON.stringify(p));
  return true;
}
