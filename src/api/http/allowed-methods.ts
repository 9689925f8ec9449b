import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';

interface RouteLayer {
  route?: { path?: unknown; methods: Record<string, boolean> };
  match(path: string): unknown;
}

const routeLayers = (req: Request): RouteLayer[] => ((req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? []).filter((l) => l.route);

/** A route path with no parameter (`/cases/decisions`, not `/cases/:caseId`). */
const isLiteral = (layer: RouteLayer) => typeof layer.route?.path === 'string' && !/[:*]/.test(layer.route.path);

function matches(layer: RouteLayer, path: string): boolean {
  try {
    return Boolean(layer.match(path));
  } catch {
    return false; // a path it cannot decode is not one of its
  }
}

/**
 * The route layers serving this request's path. A path that is a route of its own
 * (`/cases/decisions`) is that route's, even where a parameter route would also match it
 * (`/cases/:caseId`): `decisions` is not a case id, and what the path answers is its own methods.
 */
function servingLayers(req: Request): RouteLayer[] {
  const all = routeLayers(req).filter((l) => matches(l, req.path));
  const literal = all.filter(isLiteral);
  return literal.length ? literal : all;
}

/**
 * The methods the app's routes answer on this request's path (HEAD wherever GET), read from
 * the express router itself, so it lists exactly what is served; empty for an unknown path.
 */
export function allowedMethods(req: Request): string[] {
  const methods = new Set<string>();
  for (const layer of servingLayers(req))
    for (const [m, on] of Object.entries(layer.route?.methods ?? {})) if (on && m !== '_all') methods.add(m.toUpperCase());
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

// The routes are all registered before the first request; kept per router stack, re-read if it grows.
const literalCache = new WeakMap<object, { size: number; layers: RouteLayer[] }>();
function literalLayers(req: Request): RouteLayer[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const cached = literalCache.get(stack);
  if (cached?.size === stack.length) return cached.layers;
  const layers = routeLayers(req).filter(isLiteral);
  literalCache.set(stack, { size: stack.length, layers });
  return layers;
}

/**
 * Before the routes: a request to a path that is a route of its own, with a method that route
 * does not have, is answered 405 (or 204 for OPTIONS) here, so a parameter route cannot take
 * it (GET /cases/decisions is not GET /cases/{caseId} with the id "decisions").
 */
export function answerMethodsOfLiteralPaths(req: Request, res: Response, next: NextFunction): void {
  const literal = literalLayers(req).filter((l) => matches(l, req.path));
  if (!literal.length) return next();
  const served = allowedMethods(req);
  if (served.includes(req.method) || !answerOtherMethod(req, res)) next();
}
